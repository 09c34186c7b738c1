package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/quantbench/quantbench/results"
)

// fullPrecision lists the quantization levels accepted for a baseline.
var fullPrecision = map[string]bool{"F16": true, "BF16": true, "F32": true}

// ModelCheck is the pre-flight description of one model.
type ModelCheck struct {
	Info results.ModelInfo
	Show *api.ShowResponse
}

// Preflight checks every model on every host before any item runs: that it
// exists, what it is, that the baseline is full precision, and that the
// baseline and each variant share template, stop tokens and parameters. It
// returns the models in suite order, the server version and warnings.
func Preflight(ctx context.Context, clients []*api.Client, hosts []string, suite *Suite) ([]ModelCheck, string, []string, error) {
	version, err := serverVersion(ctx, clients, hosts)
	if err != nil {
		return nil, "", nil, err
	}

	var checks []ModelCheck
	for i, name := range suite.Models() {
		role := results.RoleVariant
		if i == 0 {
			role = results.RoleBaseline
		}
		check, err := inspectModel(ctx, clients, hosts, name, role)
		if err != nil {
			return nil, "", nil, err
		}
		checks = append(checks, check)
	}

	if suite.Judge != "" {
		if _, err := inspectModel(ctx, clients[:1], hosts[:1], suite.Judge, "judge"); err != nil {
			return nil, "", nil, fmt.Errorf("judge: %w", err)
		}
	}

	base := checks[0].Info
	if !fullPrecision[strings.ToUpper(base.Quantization)] && !suite.AllowAnyBaseline {
		return nil, "", nil, fmt.Errorf("baseline %s is quantised (%s): compare against an F16, BF16 or F32 tag of the same model, or pass --allow-any-baseline to compare two quantised models",
			base.Name, base.Quantization)
	}

	var warnings []string
	for _, variant := range checks[1:] {
		warnings = append(warnings, compareDefaults(checks[0], variant)...)
		if variant.Info.ParameterSize != base.ParameterSize {
			warnings = append(warnings, fmt.Sprintf("%s has %s parameters but the baseline %s has %s: these look like different models, so the comparison measures more than quantisation",
				variant.Info.Name, variant.Info.ParameterSize, base.Name, base.ParameterSize))
		}
		if variant.Info.Family != base.Family {
			warnings = append(warnings, fmt.Sprintf("%s is family %q but the baseline %s is %q: a comparison across model families measures more than quantisation",
				variant.Info.Name, variant.Info.Family, base.Name, base.Family))
		}
	}
	for _, w := range warnings {
		slog.Warn(w)
	}
	return checks, version, warnings, nil
}

func serverVersion(ctx context.Context, clients []*api.Client, hosts []string) (string, error) {
	var version string
	for i, client := range clients {
		v, err := client.Version(ctx)
		if err != nil {
			return "", fmt.Errorf("cannot reach Ollama at %s: %v: start it with `ollama serve`, or point --host or OLLAMA_HOST at a running server", hosts[i], err)
		}
		if version != "" && v != version {
			slog.Warn("hosts run different Ollama versions", "host", hosts[i], "version", v, "first", version)
		}
		if version == "" {
			version = v
		}
	}
	return version, nil
}

// inspectModel shows a model on every host and checks that all hosts serve
// the same digest.
func inspectModel(ctx context.Context, clients []*api.Client, hosts []string, name, role string) (ModelCheck, error) {
	digests, err := listDigests(ctx, clients[0])
	if err != nil {
		return ModelCheck{}, fmt.Errorf("list models on %s: %w", hosts[0], err)
	}

	var check ModelCheck
	for i, client := range clients {
		show, err := client.Show(ctx, &api.ShowRequest{Model: name})
		if err != nil {
			var statusErr api.StatusError
			if errors.As(err, &statusErr) && statusErr.StatusCode == http.StatusNotFound {
				return ModelCheck{}, fmt.Errorf("model %s not found on %s: %s", name, hosts[i], pullHint(name))
			}
			return ModelCheck{}, fmt.Errorf("show model %s on %s: %w", name, hosts[i], err)
		}
		if i == 0 {
			check = ModelCheck{Show: show, Info: results.ModelInfo{
				Name:          name,
				Role:          role,
				Digest:        digests[normaliseName(name)].Digest,
				SizeBytes:     digests[normaliseName(name)].Size,
				Family:        show.Details.Family,
				ParameterSize: show.Details.ParameterSize,
				Quantization:  show.Details.QuantizationLevel,
				Format:        show.Details.Format,
			}}
			continue
		}
		other, err := listDigests(ctx, client)
		if err != nil {
			return ModelCheck{}, fmt.Errorf("list models on %s: %w", hosts[i], err)
		}
		if d := other[normaliseName(name)].Digest; d != check.Info.Digest {
			return ModelCheck{}, fmt.Errorf("model %s has digest %s on %s but %s on %s: load the same build on every host",
				name, shortDigest(check.Info.Digest), hosts[0], shortDigest(d), hosts[i])
		}
	}
	return check, nil
}

// listDigests maps each local model's name (with an explicit tag) to its list entry.
func listDigests(ctx context.Context, client *api.Client) (map[string]api.ListModelResponse, error) {
	list, err := client.List(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]api.ListModelResponse, len(list.Models))
	for _, m := range list.Models {
		byName[normaliseName(m.Name)] = m
		byName[normaliseName(m.Model)] = m
	}
	return byName, nil
}

// normaliseName adds the implicit ":latest" tag.
func normaliseName(name string) string {
	if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
		return name + ":latest"
	}
	return name
}

func shortDigest(d string) string {
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

// compareDefaults warns about differences in the defaults that shape
// answers: the prompt template, the system prompt, stop tokens and other
// parameters. Differing defaults make a comparison unfair.
func compareDefaults(base, variant ModelCheck) []string {
	var warnings []string
	if base.Show.Template != variant.Show.Template {
		warnings = append(warnings, fmt.Sprintf("%s and %s use different prompt templates: the comparison measures the template as well as quantisation", base.Info.Name, variant.Info.Name))
	}
	if base.Show.System != variant.Show.System {
		warnings = append(warnings, fmt.Sprintf("%s and %s have different system prompts", base.Info.Name, variant.Info.Name))
	}
	baseParams, variantParams := parseParameters(base.Show.Parameters), parseParameters(variant.Show.Parameters)
	keys := map[string]bool{}
	for k := range baseParams {
		keys[k] = true
	}
	for k := range variantParams {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		b, v := strings.Join(baseParams[k], " "), strings.Join(variantParams[k], " ")
		if b != v {
			warnings = append(warnings, fmt.Sprintf("parameter %s differs: %s has %q, %s has %q", k, base.Info.Name, b, variant.Info.Name, v))
		}
	}
	return warnings
}

// parseParameters reads /api/show's parameters text ("stop \"<|eot|>\"" one
// per line, keys may repeat) into sorted values per key.
func parseParameters(text string) map[string][]string {
	params := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		params[fields[0]] = append(params[fields[0]], strings.Join(fields[1:], " "))
	}
	for k := range params {
		sort.Strings(params[k])
	}
	return params
}

// pullHint returns how to get a missing model. Generated test models (qb-*)
// are made with quantbench testmodel, others are pulled.
func pullHint(name string) string {
	if strings.HasPrefix(name, "qb-tiny") {
		return "it is a generated test model: create it with `quantbench testmodel --kind tiny` against that server"
	}
	if strings.HasPrefix(name, "qb-sentiment") {
		return "it is a generated test model: create it with `quantbench testmodel --kind sentiment` against that server"
	}
	return fmt.Sprintf("run `ollama pull %s` there first", name)
}

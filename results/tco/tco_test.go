package tco

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// workedExample is the published worked example: 800 input and 200 output
// tokens a document at $0.25 and $1.25 per million tokens, and a $18,000
// server with $400 power and rack, $200 maintenance a month and $8,000
// one-time engineering.
func workedExample(volume float64) Inputs {
	return Inputs{
		VolumePerMonth:     volume,
		InputTokensPerDoc:  800,
		OutputTokensPerDoc: 200,
		APIInputPrice:      0.25,
		APIOutputPrice:     1.25,
		Capex:              18000,
		PowerRackMonth:     400,
		MaintenanceMonth:   200,
		Engineering:        8000,
	}
}

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func nearPtr(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", name, want)
		return
	}
	near(t, name, *got, want)
}

func TestComputeWorkedExampleAt500k(t *testing.T) {
	r, err := Compute(workedExample(500_000))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "APICostPerDoc", r.APICostPerDoc, 0.00045)
	near(t, "APICostPerMonth", r.APICostPerMonth, 225)
	near(t, "APICostPerYear", r.APICostPerYear, 2700)
	near(t, "LocalCostYear1", r.LocalCostYear1, 33200)
	near(t, "LocalCostYear2", r.LocalCostYear2, 7200)
	near(t, "SavingsYear2", r.SavingsYear2, 2700-7200)
	if r.PaybackMonth != nil {
		t.Errorf("PaybackMonth = %d, want nil: $225 a month never covers $600 a month of opex", *r.PaybackMonth)
	}
}

func TestComputeWorkedExampleAt10M(t *testing.T) {
	r, err := Compute(workedExample(10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "APICostPerMonth", r.APICostPerMonth, 4500)
	near(t, "APICostPerYear", r.APICostPerYear, 54000)
	near(t, "LocalCostYear1", r.LocalCostYear1, 33200)
	near(t, "LocalCostYear2", r.LocalCostYear2, 7200)
	near(t, "SavingsYear1", r.SavingsYear1, 20800)
	near(t, "SavingsYear2", r.SavingsYear2, 46800)
	near(t, "LocalOpexPerMonth", r.LocalOpexPerMonth, 600)

	// (18,000 + 12*400 + 12*200) / 0.00045, not the $26,200 and 58.2 million
	// the source prints: its own inputs add up to $25,200.
	nearPtr(t, "BreakEvenDocsPerYear", r.BreakEvenDocsPerYear, 56_000_000)
	nearPtr(t, "BreakEvenDocsPerMonth", r.BreakEvenDocsPerMonth, 56_000_000.0/12)
	nearPtr(t, "BreakEvenWithEngineeringDocsPerYear", r.BreakEvenWithEngineeringDocsPerYear, 33200/0.00045)
	nearPtr(t, "BreakEvenWithEngineeringDocsPerMonth", r.BreakEvenWithEngineeringDocsPerMonth, 33200/0.00045/12)
	if got := FormatCount(*r.BreakEvenDocsPerMonth); got != "4,666,667" {
		t.Errorf("break-even per month formats as %s, want 4,666,667", got)
	}

	// Cumulative: 4,500m >= 26,000 + 600m first holds at m = 7.
	if r.PaybackMonth == nil || *r.PaybackMonth != 7 {
		t.Errorf("PaybackMonth = %v, want 7", r.PaybackMonth)
	}
	if r.Servers != 1 || r.CapacityDocsPerMonth != nil {
		t.Errorf("Servers = %d, capacity = %v; want 1 and nil without throughput", r.Servers, r.CapacityDocsPerMonth)
	}
	if r.Inputs.Utilisation != DefaultUtilisation {
		t.Errorf("Utilisation = %v, want the default %v", r.Inputs.Utilisation, DefaultUtilisation)
	}
}

func TestComputeJSONKeys(t *testing.T) {
	r, err := Compute(workedExample(10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var decoded map[string]any
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"api_cost_per_doc": 0.00045, "api_cost_per_month": 4500, "api_cost_per_year": 54000,
		"local_cost_year1": 33200, "local_cost_year2": 7200, "savings_year2": 46800,
		"break_even_docs_per_year": 56_000_000, "break_even_docs_per_month": 56_000_000.0 / 12,
	}
	for key, value := range want {
		got, ok := decoded[key].(float64)
		if !ok {
			t.Errorf("key %s missing or not a number: %v", key, decoded[key])
			continue
		}
		near(t, key, got, value)
	}
}

func TestComputeServersScaleWithVolume(t *testing.T) {
	in := workedExample(10_000_000)
	in.DocsPerHourPerServer = 5000
	in.Utilisation = 0.5
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	// 5,000 * 730 * 0.5 = 1,825,000 a month: 10M needs ceil(5.48) = 6 servers.
	nearPtr(t, "CapacityDocsPerMonth", r.CapacityDocsPerMonth, 1_825_000)
	if r.Servers != 6 {
		t.Fatalf("Servers = %d, want 6", r.Servers)
	}
	near(t, "LocalOpexPerMonth", r.LocalOpexPerMonth, 6*600)
	near(t, "LocalCostYear1", r.LocalCostYear1, 6*18000+8000+12*6*600)
	near(t, "LocalCostYear2", r.LocalCostYear2, 12*6*600)
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "6 servers") {
		t.Errorf("Warnings = %q, want one naming 6 servers", r.Warnings)
	}
	// Break-even 4,666,667 a month is above one server's 1,825,000.
	if !r.BreakEvenAboveCapacity {
		t.Error("BreakEvenAboveCapacity = false, want true")
	}
}

func TestComputeOneServerNoWarning(t *testing.T) {
	in := workedExample(500_000)
	in.DocsPerHourPerServer = 20_000
	in.Utilisation = 1
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Servers != 1 || len(r.Warnings) != 0 {
		t.Errorf("Servers = %d, warnings %q; want 1 and none", r.Servers, r.Warnings)
	}
	if r.BreakEvenAboveCapacity {
		t.Error("BreakEvenAboveCapacity = true with 14.6M a month of capacity")
	}
}

func TestComputeZeroAPICost(t *testing.T) {
	in := workedExample(1000)
	in.APIInputPrice, in.APIOutputPrice = 0, 0
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakEvenDocsPerYear != nil || r.BreakEvenDocsPerMonth != nil || r.BreakEvenWithEngineeringDocsPerYear != nil {
		t.Error("break-even defined with a zero API cost")
	}
	if r.PaybackMonth != nil {
		t.Errorf("PaybackMonth = %d, want nil", *r.PaybackMonth)
	}
	if !strings.Contains(strings.Join(r.Notes, " "), "break-even volume undefined") {
		t.Errorf("Notes = %q, want the undefined break-even explained", r.Notes)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("marshal: %v", err)
	}
}

func TestComputeRejectsInvalidInputs(t *testing.T) {
	cases := map[string]func(*Inputs){
		"volume_per_month":  func(in *Inputs) { in.VolumePerMonth = -1 },
		"capex":             func(in *Inputs) { in.Capex = math.NaN() },
		"api_input_price":   func(in *Inputs) { in.APIInputPrice = math.Inf(1) },
		"utilisation":       func(in *Inputs) { in.Utilisation = 1.5 },
		"category_shares.x": func(in *Inputs) { in.CategoryShares = map[string]float64{"x": -0.1} },
	}
	for field, mutate := range cases {
		in := workedExample(1000)
		mutate(&in)
		_, err := Compute(in)
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v, want one naming the field", field, err)
		}
	}
}

func TestComputeTooManyServers(t *testing.T) {
	in := workedExample(1e15)
	in.DocsPerHourPerServer = 1
	if _, err := Compute(in); err == nil {
		t.Error("no error for a billion servers")
	}
}

func TestPaybackMonth(t *testing.T) {
	cases := []struct {
		upfront, api, opex float64
		month              int
		ok                 bool
	}{
		{26000, 4500, 600, 7, true},
		{0, 100, 10, 1, true},
		{0, 10, 10, 1, true},
		{100, 10, 10, 0, false},
		{100, 5, 10, 0, false},
		{6000, 200, 100, 60, true},
		{6001, 200, 100, 0, false},
	}
	for _, c := range cases {
		month, ok := PaybackMonth(c.upfront, c.api, c.opex)
		if ok != c.ok || (ok && month != c.month) {
			t.Errorf("PaybackMonth(%v, %v, %v) = %d, %v; want %d, %v", c.upfront, c.api, c.opex, month, ok, c.month, c.ok)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	cases := map[float64]string{0.00045: "$0.00045", 225: "$225.00", 46800: "$46,800.00", -4500: "-$4,500.00", 0: "$0.00", 0.5: "$0.50", 1234567.891: "$1,234,567.89"}
	for v, want := range cases {
		if got := FormatMoney(v); got != want {
			t.Errorf("FormatMoney(%v) = %s, want %s", v, got, want)
		}
	}
}

func TestPlanRoutesWorkedExample(t *testing.T) {
	base := workedExample(20_000_000)
	loads := []CategoryLoad{
		{Category: "classification", Share: 0.5, InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: VerdictPass},
		{Category: "extraction", Share: 0.3, InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: "FAIL"},
		{Category: "reasoning", Share: 0.2, InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: VerdictPass},
	}
	plan, err := PlanRoutes(base, loads)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{RouteLocal, RouteAPI, RouteAPI}
	for i, r := range plan.Routes {
		if r.Recommendation != want[i] {
			t.Errorf("%s: %s (%s), want %s", r.Category, r.Recommendation, r.Reason, want[i])
		}
	}
	// 10M local (above 4,666,667), 6M FAIL, 4M below break-even.
	near(t, "LocalVolumePerMonth", plan.LocalVolumePerMonth, 10_000_000)
	near(t, "AllAPIPerMonth", plan.AllAPIPerMonth, 9000)
	near(t, "AllLocalPerMonthYear1", plan.AllLocalPerMonthYear1, 33200.0/12)
	near(t, "AllLocalPerMonthYear2", plan.AllLocalPerMonthYear2, 600)
	near(t, "HybridPerMonthYear1", plan.HybridPerMonthYear1, 4500+33200.0/12)
	near(t, "HybridPerMonthYear2", plan.HybridPerMonthYear2, 4500+600)
	if plan.LocalServers != 1 {
		t.Errorf("LocalServers = %d, want 1", plan.LocalServers)
	}
}

func TestPlanRoutesEqualSharesAndPooling(t *testing.T) {
	base := workedExample(8_000_000)
	loads := []CategoryLoad{
		{Category: "a", InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: VerdictPass},
		{Category: "b", InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: VerdictPass},
	}
	plan, err := PlanRoutes(base, loads)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range plan.Routes {
		near(t, r.Category+" share", r.Share, 0.5)
		if r.Recommendation != RouteAPI {
			t.Errorf("%s: %s, want api at 4M a month each", r.Category, r.Recommendation)
		}
	}
	near(t, "HybridPerMonthYear1", plan.HybridPerMonthYear1, plan.AllAPIPerMonth)
	notes := strings.Join(plan.Notes, " ")
	if !strings.Contains(notes, "split equally") || !strings.Contains(notes, "together") {
		t.Errorf("Notes = %q, want equal shares and pooling explained", plan.Notes)
	}
}

func TestPlanRoutesCapacityBlocksLocal(t *testing.T) {
	base := workedExample(20_000_000)
	base.DocsPerHourPerServer = 1000 // 511,000 a month at 70%
	plan, err := PlanRoutes(base, []CategoryLoad{{Category: "a", Share: 1, InputTokensPerDoc: 800, OutputTokensPerDoc: 200, Verdict: VerdictPass}})
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Routes[0]; r.Recommendation != RouteAPI || !strings.Contains(r.Reason, "capacity") {
		t.Errorf("route = %s (%s), want api because of capacity", r.Recommendation, r.Reason)
	}
}

func TestCheckInputs(t *testing.T) {
	if err := CheckInputs(Inputs{Preset: "claude-haiku"}); err != nil {
		t.Errorf("claude-haiku: %v", err)
	}
	if err := CheckInputs(Inputs{Preset: "claude-haikuu"}); err == nil || !strings.Contains(err.Error(), "claude-haikuu") {
		t.Errorf("error %v, want the unknown preset named", err)
	}
	if err := CheckInputs(Inputs{Capex: -1}); err == nil || !strings.Contains(err.Error(), "capex") {
		t.Errorf("error %v, want capex named", err)
	}
}

func TestBuiltinPresets(t *testing.T) {
	haiku, err := BuiltinPresets().Lookup("claude-haiku")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "claude-haiku input", haiku.InputPerMTok, 0.25)
	near(t, "claude-haiku output", haiku.OutputPerMTok, 1.25)
	for name, p := range BuiltinPresets() {
		if p.Checked == "" || p.Source == "" {
			t.Errorf("preset %s has no checked date or source", name)
		}
	}
}

func TestLoadPresetsUserFileOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "presets.yaml")
	data := "presets:\n  claude-haiku:\n    input_per_mtok: 1\n    output_per_mtok: 5\n  mine:\n    input_per_mtok: 0.1\n    output_per_mtok: 0.2\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	presets, err := LoadPresets(path)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "overridden claude-haiku input", presets["claude-haiku"].InputPerMTok, 1)
	near(t, "mine output", presets["mine"].OutputPerMTok, 0.2)
	if _, ok := presets["gpt-4o-mini"]; !ok {
		t.Error("built-in gpt-4o-mini lost after loading a user file")
	}

	t.Setenv(PresetsFileEnv, path)
	fromEnv, err := LoadPresets("")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "claude-haiku input via env", fromEnv["claude-haiku"].InputPerMTok, 1)
}

func TestLoadPresetsErrorsNameLine(t *testing.T) {
	cases := map[string]string{
		"presets:\n  a:\n    input_per_mtok: 1\n    output_per_mtok: -2\n": ":2: presets.a.output_per_mtok",
		"presets:\n  a:\n    input_per_mtok: 1\n":                          ":2: presets.a: missing output_per_mtok",
		"presets:\n  a:\n    input_per_mtok: 1\n    outptu_per_mtok: 2\n":  "line 4",
	}
	for data, want := range cases {
		path := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadPresets(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to contain %q", err, want)
		}
	}
	if _, err := BuiltinPresets().Lookup("nope"); err == nil || !strings.Contains(err.Error(), "claude-haiku") {
		t.Errorf("Lookup error %v, want the known names listed", err)
	}
}

func TestPlanRoutesCountsServersPerCategory(t *testing.T) {
	base := workedExample(0)
	base.DocsPerHourPerServer, base.Utilisation = 12000, 1 // 8,760,000 a month
	load := CategoryLoad{Category: "a", Share: 1, InputTokensPerDoc: 600, OutputTokensPerDoc: 100, Verdict: VerdictPass}
	cases := []struct {
		volume  float64
		servers int
		route   string
	}{
		{8_000_000, 1, RouteLocal},  // above the one-server break-even of 7,636,364
		{12_000_000, 2, RouteAPI},   // two servers break even at 15,272,727
		{17_000_000, 2, RouteLocal}, // above that
	}
	for _, c := range cases {
		base.VolumePerMonth = c.volume
		plan, err := PlanRoutes(base, []CategoryLoad{load})
		if err != nil {
			t.Fatal(err)
		}
		r := plan.Routes[0]
		if r.Servers != c.servers || r.Recommendation != c.route {
			t.Errorf("%s a month: %d servers, %s (%s); want %d, %s", FormatCount(c.volume), r.Servers, r.Recommendation, r.Reason, c.servers, c.route)
		}
	}
}

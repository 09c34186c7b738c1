package datasets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// decodeSourceLine decodes one JSON line of a public benchmark file into v,
// which ignores fields it does not name.
func decodeSourceLine(text []byte, line int, p *problems, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(text))
	if err := dec.Decode(v); err != nil {
		p.addError(jsonLineError(p.file, line, err))
		return false
	}
	if rest := bytes.TrimSpace(text[dec.InputOffset():]); len(rest) > 0 {
		p.add(line, "", "invalid JSON: extra text after the object at byte %d; the file must hold one JSON object a line", dec.InputOffset()+1)
		return false
	}
	return true
}

// requireString reports a missing or empty string field.
func requireString(p *problems, line int, field string, v *string) bool {
	if v == nil || strings.TrimSpace(*v) == "" {
		p.add(line, field, "missing or empty")
		return false
	}
	return true
}

const gsm8kTemplate = `Solve the problem step by step. On the last line, write "#### " followed by the final answer as a number.

Problem: {{.question}}`

// importGSM8K reads GSM8K: JSON lines with "question" and "answer", where the
// answer's last line is "#### N". Items get the ids NAME/0, NAME/1, ... in
// file order and the input key "question".
func importGSM8K(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	ds := &Dataset{Manifest: Manifest{
		Name:        opts.Name,
		Category:    Reasoning,
		Description: fmt.Sprintf("Grade-school math word problems imported from %s (gsm8k format).", baseName(file)),
		Template:    gsm8kTemplate,
		NumPredict:  512,
	}}
	eachLine(data, p, func(line int, text []byte) bool {
		var row struct {
			Question *string `json:"question"`
			Answer   *string `json:"answer"`
		}
		if !decodeSourceLine(text, line, p, &row) {
			return true
		}
		okQ := requireString(p, line, "question", row.Question)
		okA := requireString(p, line, "answer", row.Answer)
		if !okQ || !okA {
			return true
		}
		n, err := gsm8kAnswer(*row.Answer)
		if err != nil {
			p.add(line, "answer", "%v", err)
			return true
		}
		ds.Items = append(ds.Items, Item{
			ID:       fmt.Sprintf("%s/%d", opts.Name, len(ds.Items)),
			Input:    map[string]string{"question": *row.Question},
			Expected: Expected{Number: &n},
			Line:     line,
		})
		return !limitReached(ds.Items, opts)
	})
	return ds
}

var gsm8kNumberRE = regexp.MustCompile(`^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$`)

// gsm8kAnswer parses the number after the last "####" of an answer. Thousands
// separators are removed; a dollar sign or a trailing period is tolerated.
func gsm8kAnswer(answer string) (float64, error) {
	i := strings.LastIndex(answer, "####")
	if i < 0 {
		return 0, fmt.Errorf(`no final line "#### N" in the answer`)
	}
	text := strings.TrimSpace(answer[i+len("####"):])
	text = strings.TrimSuffix(text, ".")
	text = strings.Replace(text, "$", "", 1)
	if !gsm8kNumberRE.MatchString(text) {
		return 0, fmt.Errorf(`the final line "#### %s" does not end in a number`, strings.TrimSpace(answer[i+len("####"):]))
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(text, ",", ""), 64)
	if err != nil {
		return 0, fmt.Errorf("the final answer %q is not a number: %v", text, err)
	}
	return n, nil
}

const humanevalTemplate = "Complete the following Python function. Reply with the complete function, including the signature, in one ```python code block.\n\n{{.prompt}}"

// importHumanEval reads HumanEval: JSON lines with "task_id", "prompt",
// "test" (which defines check(candidate)) and "entry_point". The item's input
// "prompt" is the Python prompt; its tests are the test code followed by a
// call check(ENTRY_POINT).
func importHumanEval(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	ds := &Dataset{Manifest: Manifest{
		Name:        opts.Name,
		Category:    Code,
		Description: fmt.Sprintf("Python function completion tasks imported from %s (humaneval format).", baseName(file)),
		Template:    humanevalTemplate,
		NumPredict:  512,
	}}
	eachLine(data, p, func(line int, text []byte) bool {
		var row struct {
			TaskID     *string `json:"task_id"`
			Prompt     *string `json:"prompt"`
			Test       *string `json:"test"`
			EntryPoint *string `json:"entry_point"`
		}
		if !decodeSourceLine(text, line, p, &row) {
			return true
		}
		ok := requireString(p, line, "task_id", row.TaskID)
		ok = requireString(p, line, "prompt", row.Prompt) && ok
		ok = requireString(p, line, "test", row.Test) && ok
		ok = requireString(p, line, "entry_point", row.EntryPoint) && ok
		if !ok {
			return true
		}
		ds.Items = append(ds.Items, Item{
			ID:    *row.TaskID,
			Input: map[string]string{"prompt": *row.Prompt},
			Expected: Expected{
				Tests:      *row.Test + "\ncheck(" + *row.EntryPoint + ")\n",
				EntryPoint: *row.EntryPoint,
			},
			Line: line,
		})
		return !limitReached(ds.Items, opts)
	})
	return ds
}

const mbppTemplate = "Write a Python function for the task below. Reply with the function in one ```python code block.\n\nTask: {{.text}}\n\nYour code must pass these tests:\n{{.tests}}"

// mbppRow is one MBPP task.
type mbppRow struct {
	TaskID        json.RawMessage `json:"task_id"`
	Text          *string         `json:"text"`
	Prompt        *string         `json:"prompt"`
	Code          string          `json:"code"`
	TestList      []string        `json:"test_list"`
	TestSetupCode string          `json:"test_setup_code"`
}

// importMBPP reads MBPP: JSON lines, or a JSON array as in the sanitized
// split, of tasks with "task_id", "text" (or "prompt"), "test_list",
// "test_setup_code" and an optional reference "code". The entry point is the
// function that the first test calls. Items get the ids mbpp/TASK_ID.
func importMBPP(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	ds := &Dataset{Manifest: Manifest{
		Name:        opts.Name,
		Category:    Code,
		Description: fmt.Sprintf("Python programming tasks imported from %s (mbpp format).", baseName(file)),
		Template:    mbppTemplate,
		NumPredict:  512,
	}}
	add := func(line int, row *mbppRow) {
		item, ok := mbppItem(line, row, p)
		if ok {
			ds.Items = append(ds.Items, item)
		}
	}
	if trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n"); bytes.HasPrefix(trimmed, []byte("[")) {
		eachArrayItem(data, p, func(line int, decode func(any) bool) bool {
			var row mbppRow
			if decode(&row) {
				add(line, &row)
			}
			return !limitReached(ds.Items, opts)
		})
		return ds
	}
	eachLine(data, p, func(line int, text []byte) bool {
		var row mbppRow
		if decodeSourceLine(text, line, p, &row) {
			add(line, &row)
		}
		return !limitReached(ds.Items, opts)
	})
	return ds
}

func mbppItem(line int, row *mbppRow, p *problems) (Item, bool) {
	rawID, text, code, tests, setup := row.TaskID, firstNonNil(row.Text, row.Prompt), row.Code, row.TestList, row.TestSetupCode
	id, okID := mbppTaskID(rawID)
	if !okID {
		p.add(line, "task_id", "missing; give a number or string")
	}
	okText := requireString(p, line, "text", text)
	var asserts []string
	for _, t := range tests {
		if strings.TrimSpace(t) != "" {
			asserts = append(asserts, t)
		}
	}
	if len(asserts) == 0 {
		p.add(line, "test_list", "missing or empty; give the assert statements that check the function")
		return Item{}, false
	}
	entry := mbppEntryPoint(code, asserts[0])
	if entry == "" {
		p.add(line, "test_list[0]", "no function call found in %q; the first test must call the function under test", asserts[0])
		return Item{}, false
	}
	if !okID || !okText {
		return Item{}, false
	}

	shown := strings.Join(asserts, "\n")
	checks := shown + "\n"
	if strings.TrimSpace(setup) != "" {
		checks = setup + "\n" + checks
	}
	return Item{
		ID:       "mbpp/" + id,
		Input:    map[string]string{"text": *text, "tests": shown},
		Expected: Expected{Tests: checks, EntryPoint: entry},
		Line:     line,
	}, true
}

func firstNonNil(values ...*string) *string {
	for _, v := range values {
		if v != nil {
			return v
		}
	}
	return nil
}

// mbppTaskID formats a task id given as a JSON number or string.
func mbppTaskID(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, strings.TrimSpace(s) != ""
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), true
	}
	return "", false
}

var (
	pythonDefRE  = regexp.MustCompile(`(?m)^def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(`)
	pythonCallRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.]*)\s*\(`)
)

// pythonBuiltinCalls are names a test calls around the function under test.
var pythonBuiltinCalls = map[string]bool{
	"abs": true, "all": true, "any": true, "bool": true, "dict": true, "float": true, "frozenset": true,
	"int": true, "isinstance": true, "len": true, "list": true, "max": true, "min": true, "print": true,
	"round": true, "set": true, "sorted": true, "str": true, "sum": true, "tuple": true, "type": true,
	"assert": true, "not": true, "and": true, "or": true, "in": true, "is": true, "lambda": true,
}

// mbppEntryPoint returns the function under test: the first function defined
// in the reference code that the test calls, else the first call in the test
// that is not a Python builtin or a method.
func mbppEntryPoint(code, test string) string {
	calls := pythonCallRE.FindAllStringSubmatch(test, -1)
	called := map[string]bool{}
	for _, c := range calls {
		called[c[1]] = true
	}
	for _, d := range pythonDefRE.FindAllStringSubmatch(code, -1) {
		if called[d[1]] {
			return d[1]
		}
	}
	for _, c := range calls {
		name := c[1]
		if !strings.Contains(name, ".") && !pythonBuiltinCalls[name] {
			return name
		}
	}
	return ""
}

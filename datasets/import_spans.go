package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// spansRow is one item of a span-labelled file in the Restaurant8k layout.
type spansRow struct {
	UserInput *struct {
		Text *string `json:"text"`
	} `json:"userInput"`
	Context *struct {
		RequestedSlots []string `json:"requestedSlots"`
	} `json:"context"`
	Labels []struct {
		Slot      string `json:"slot"`
		ValueSpan *struct {
			// StartIndex is absent when the span starts at 0.
			StartIndex *int `json:"startIndex"`
			EndIndex   *int `json:"endIndex"`
		} `json:"valueSpan"`
	} `json:"labels"`
}

// importSpans reads a JSON array of items in the Restaurant8k layout. An item
// has its text in userInput.text, the slots the system just requested in
// context.requestedSlots, and labels[] of a slot name and a valueSpan. Span
// offsets count Unicode code points, the end is exclusive, and an absent
// startIndex means 0.
//
// Each item becomes an extraction item whose expected fields map a slot to
// the text of its span, and two spans of one slot are joined with ", ".
// Items without labels are left out, because an item with no expected field
// has no field-level precision or recall. The description counts them.
// Items get the ids NAME/INDEX, INDEX being the position in the array, and
// the input keys "text" and "requested_slots" (comma-separated, possibly
// empty).
func importSpans(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	if !checkUTF8(data, p) {
		return nil
	}

	ds := &Dataset{}
	slots := map[string]bool{}
	unlabelled := 0
	index := 0
	eachArrayItem(data, p, func(line int, decode func(any) bool) bool {
		defer func() { index++ }()
		var row spansRow
		if !decode(&row) {
			return true
		}
		item, ok := spansItem(&row, index, line, opts.Name, p)
		if !ok {
			return true
		}
		if len(item.Expected.Fields) == 0 {
			unlabelled++
			return true
		}
		for slot := range item.Expected.Fields {
			slots[slot] = true
		}
		ds.Items = append(ds.Items, item)
		return !limitReached(ds.Items, opts)
	})

	names := sortedKeys(slots)
	ds.Manifest = Manifest{
		Name:        opts.Name,
		Category:    Extraction,
		Description: spansDescription(file, unlabelled),
		Template:    spansTemplate(names),
		NumPredict:  128,
		Schema:      spansSchema(names),
	}
	return ds
}

func spansItem(row *spansRow, index, line int, name string, p *problems) (Item, bool) {
	if row.UserInput == nil || row.UserInput.Text == nil {
		p.add(line, spanField(index, "userInput.text"), "missing; each item needs the text its spans point into")
		return Item{}, false
	}
	text := *row.UserInput.Text
	runes := []rune(text)
	fields := map[string]string{}
	ok := true
	for li, label := range row.Labels {
		field := spanField(index, fmt.Sprintf("labels[%d]", li))
		if strings.TrimSpace(label.Slot) == "" {
			p.add(line, field+".slot", "missing; name the slot of the span")
			ok = false
			continue
		}
		if label.ValueSpan == nil || label.ValueSpan.EndIndex == nil {
			p.add(line, field+".valueSpan.endIndex", "missing; give the end of the span as a character offset")
			ok = false
			continue
		}
		start, end := 0, *label.ValueSpan.EndIndex
		if label.ValueSpan.StartIndex != nil {
			start = *label.ValueSpan.StartIndex
		}
		if start < 0 || end > len(runes) || start >= end {
			p.add(line, field+".valueSpan", "span %d..%d does not fit the text of %d characters; start must be below end, and end at most the length", start, end, len(runes))
			ok = false
			continue
		}
		value := strings.TrimSpace(string(runes[start:end]))
		if prev, dup := fields[label.Slot]; dup {
			value = prev + ", " + value
		}
		fields[label.Slot] = value
	}
	if !ok {
		return Item{}, false
	}

	requested := ""
	if row.Context != nil {
		requested = strings.Join(row.Context.RequestedSlots, ", ")
	}
	return Item{
		ID:       fmt.Sprintf("%s/%d", name, index),
		Input:    map[string]string{"text": text, "requested_slots": requested},
		Expected: Expected{Fields: fields},
		Line:     line,
	}, true
}

func spanField(index int, field string) string {
	if field == "" {
		return fmt.Sprintf("[%d]", index)
	}
	return fmt.Sprintf("[%d].%s", index, field)
}

func spansDescription(file string, unlabelled int) string {
	d := fmt.Sprintf("Slot values marked as character spans, imported from %s (spans format).", baseName(file))
	switch {
	case unlabelled == 1:
		d += " 1 item without labelled spans was left out."
	case unlabelled > 1:
		d += fmt.Sprintf(" %d items without labelled spans were left out.", unlabelled)
	}
	return d
}

func spansTemplate(slots []string) string {
	return fmt.Sprintf(`Extract these fields from the user's message: %s.
Reply with one JSON object whose keys are the fields found in the message and whose values are the exact text from the message. Leave out fields that the message does not contain.
{{if .requested_slots}}The assistant has just asked for: {{.requested_slots}}.
{{end}}
Message: {{.text}}`, strings.Join(slots, ", "))
}

// spansSchema returns a JSON schema of an object with an optional string
// property per slot.
func spansSchema(slots []string) json.RawMessage {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	for i, s := range slots {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(s)
		b.Write(key)
		b.WriteString(`:{"type":"string"}`)
	}
	b.WriteString(`}}`)
	return json.RawMessage(b.String())
}

// eachArrayItem calls fn for each element of the JSON array in data, with
// the element's line and a function that decodes it into a value. Problems
// are reported with the element's index as "[INDEX].field". fn returns false
// to stop.
func eachArrayItem(data []byte, p *problems, fn func(line int, decode func(any) bool) bool) {
	data = bytes.TrimPrefix(data, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		p.add(lineAt(data, int(dec.InputOffset())), "", "the file must be a JSON array of items")
		return
	}

	lines := &lineCounter{data: data, line: 1}
	for index := 0; dec.More(); index++ {
		line := lines.at(nextValueOffset(data, int(dec.InputOffset())))
		broken, decoded := false, false
		decode := func(v any) bool {
			decoded = true
			err := dec.Decode(v)
			if err == nil {
				return true
			}
			fe := jsonLineError(p.file, line, err)
			fe.Field = spanField(index, fe.Field)
			p.addError(fe)
			var typeErr *json.UnmarshalTypeError
			broken = !errors.As(err, &typeErr)
			return false
		}
		more := fn(line, decode)
		if !decoded {
			var skip json.RawMessage
			decode(&skip)
		}
		if !more || broken {
			return
		}
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		p.add(lineAt(data, int(dec.InputOffset())), "", "invalid JSON at the end of the array: %v", err)
	}
}

// nextValueOffset skips the whitespace and comma before the next array value.
func nextValueOffset(data []byte, offset int) int {
	for offset < len(data) {
		switch data[offset] {
		case ' ', '\t', '\r', '\n', ',':
			offset++
		default:
			return offset
		}
	}
	return offset
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, offset int) int {
	offset = min(max(offset, 0), len(data))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// lineCounter returns the lines of increasing offsets in one pass over data.
type lineCounter struct {
	data   []byte
	offset int
	line   int
}

func (c *lineCounter) at(offset int) int {
	offset = min(max(offset, 0), len(c.data))
	if offset < c.offset {
		return lineAt(c.data, offset)
	}
	c.line += bytes.Count(c.data[c.offset:offset], []byte("\n"))
	c.offset = offset
	return c.line
}

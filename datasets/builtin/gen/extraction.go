package gen

import (
	"fmt"
	"strings"
	"time"

	"github.com/quantbench/quantbench/datasets"
)

const extractionSeed = 0x5eed0002

// Field types, as the extraction scorer reads them from scorer_options.fields.
const (
	fieldText   = "text"
	fieldDate   = "date"
	fieldAmount = "amount"
	fieldNumber = "number"
)

// extractionField is one field that a document dataset extracts.
type extractionField struct {
	name        string
	kind        string
	description string
}

// extractionCase is a generated document with the surface text of every
// expected field, so that tests can re-derive the normalised values.
type extractionCase struct {
	item     datasets.Item
	surfaces map[string]string
	dateNote string
}

// docValues collects a document's fields while a layout writes it.
type docValues struct {
	fields   map[string]string
	surfaces map[string]string
	dates    dateStyle
	amounts  amountStyle
}

func newDocValues(s *source) *docValues {
	return &docValues{
		fields:   map[string]string{},
		surfaces: map[string]string{},
		dates:    pick(s, dateStyles),
		amounts:  pick(s, amountStyles),
	}
}

func (v *docValues) text(name, value string) string {
	v.fields[name], v.surfaces[name] = value, value
	return value
}

func (v *docValues) date(name string, t time.Time) string {
	surface := t.Format(v.dates.layout)
	v.fields[name], v.surfaces[name] = isoDate(t), surface
	return surface
}

func (v *docValues) amount(name string, cents int64) string {
	surface := v.amounts.format(cents)
	v.fields[name], v.surfaces[name] = plainAmount(cents), surface
	return surface
}

// price rounds cents to whole units when the document's amount style needs it.
func (v *docValues) price(cents int64) int64 {
	if !v.amounts.whole {
		return cents
	}
	return (cents + 50) / 100 * 100
}

// prices rounds the unit prices of lines with price.
func (v *docValues) prices(lines []lineItem) []lineItem {
	for i := range lines {
		lines[i].unitCents = v.price(lines[i].unitCents)
	}
	return lines
}

func (v *docValues) number(name string, n int) string {
	surface := fmt.Sprint(n)
	v.fields[name], v.surfaces[name] = surface, surface
	return surface
}

// randomDate returns a day in 2024-2026. For day/month styles it keeps the day
// at 12 or below and different from the month, so that reading the date the
// wrong way round gives a valid but wrong answer.
func randomDate(s *source, style dateStyle) time.Time {
	for {
		t := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, s.intn(3*365))
		if !style.ambiguous() || (t.Day() <= 12 && t.Day() != int(t.Month())) {
			return t
		}
	}
}

// extractionGroup is a document dataset before encoding: its spec and cases.
type extractionGroup struct {
	spec  documentSpec
	cases []extractionCase
}

// extractionGroups generates the document datasets from one seeded source,
// so the order of the calls is part of the output.
func extractionGroups() []extractionGroup {
	s := newSource(extractionSeed)
	return []extractionGroup{
		{invoiceSpec, invoiceCases(s, 24)},
		{receiptSpec, receiptCases(s, 20)},
		{orderEmailSpec, orderEmailCases(s, 20)},
	}
}

func extractionDatasets() []Dataset {
	var out []Dataset
	for _, g := range extractionGroups() {
		out = append(out, extractionDataset(g.spec, g.cases))
	}
	return out
}

// documentSpec is the fixed part of an extraction dataset.
type documentSpec struct {
	name        string
	document    string
	description string
	fields      []extractionField
}

func extractionDataset(spec documentSpec, cases []extractionCase) Dataset {
	items := make([]datasets.Item, len(cases))
	for i, c := range cases {
		items[i] = c.item
	}

	kinds := map[string]any{}
	properties := map[string]any{}
	var names, lines []string
	for _, f := range spec.fields {
		kinds[f.name] = f.kind
		properties[f.name] = map[string]any{"type": "string"}
		names = append(names, f.name)
		lines = append(lines, fmt.Sprintf("- %s: %s", f.name, f.description))
	}

	template := fmt.Sprintf("Extract these fields from the %s below.\n%s\n\n"+
		"Write dates as YYYY-MM-DD and amounts as plain decimal numbers with two decimal places, "+
		"without currency signs or thousands separators (for example \"1234.50\"). "+
		"Write every value as a JSON string.\n"+
		"Reply with JSON only: one object with exactly the keys %s.\n\n%s:\n{{.document}}",
		spec.document, strings.Join(lines, "\n"), strings.Join(names, ", "), strings.ToUpper(spec.document[:1])+spec.document[1:])

	return Dataset{
		Manifest: Manifest{
			Name:          spec.name,
			Category:      datasets.Extraction,
			Description:   spec.description,
			Template:      template,
			ScorerOptions: map[string]any{"fields": kinds},
			NumPredict:    256,
			Schema: map[string]any{
				"type":       "object",
				"properties": properties,
				"required":   names,
			},
		},
		Items: items,
	}
}

func newExtractionCase(id, document string, v *docValues) extractionCase {
	return extractionCase{
		item: datasets.Item{
			ID:       id,
			Input:    map[string]string{"document": document},
			Expected: datasets.Expected{Fields: v.fields},
		},
		surfaces: v.surfaces,
		dateNote: v.dates.note,
	}
}

// lineItem is one priced line of an invoice or receipt.
type lineItem struct {
	description string
	quantity    int
	unitCents   int64
}

func (l lineItem) cents() int64 { return int64(l.quantity) * l.unitCents }

func randomLines(s *source, catalogue []string, minLines, maxLines int, minCents, maxCents int64) []lineItem {
	n := s.between(minLines, maxLines)
	used := map[string]bool{}
	var lines []lineItem
	for len(lines) < n {
		desc := pick(s, catalogue)
		if used[desc] {
			continue
		}
		used[desc] = true
		unit := minCents + int64(s.intn(int(maxCents-minCents)/5+1))*5
		lines = append(lines, lineItem{desc, s.between(1, 12), unit})
	}
	return lines
}

func sumLines(lines []lineItem) int64 {
	var total int64
	for _, l := range lines {
		total += l.cents()
	}
	return total
}

// percentOf rounds half up to the cent.
func percentOf(cents int64, percent int) int64 { return (cents*int64(percent) + 50) / 100 }

package gen

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseSurfaceDate reads a date as written in a document, independently of the
// generator's styles: slash dates need the document's convention note.
func parseSurfaceDate(surface, note string) (string, bool) {
	layouts := []string{"2 January 2006", "January 2, 2006", "2006-01-02", "2 Jan 2006", "Monday, 2 January 2006"}
	switch {
	case strings.Contains(note, "day/month/year"):
		layouts = []string{"02/01/2006"}
	case strings.Contains(note, "month/day/year"):
		layouts = []string{"01/02/2006"}
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, surface); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

var (
	currencyMarks  = regexp.MustCompile(`^(?:\$|£|€|USD |EUR )?([0-9][0-9., ]*?)(?: EUR| GBP)?$`)
	decimalComma   = regexp.MustCompile(`,\d{2}$`)
	decimalPoint   = regexp.MustCompile(`\.\d{2}$`)
	plainTwoPlaces = regexp.MustCompile(`^\d+\.\d{2}$`)
)

// parseSurfaceAmount reads an amount as written in a document: a currency
// sign or code, thousands separators (",", "." or a space) and a decimal point
// or comma, or no decimals at all.
func parseSurfaceAmount(surface string) (string, bool) {
	m := currencyMarks.FindStringSubmatch(surface)
	if m == nil {
		return "", false
	}
	number := m[1]

	whole, cents := number, "00"
	if decimalComma.MatchString(number) || decimalPoint.MatchString(number) {
		whole, cents = number[:len(number)-3], number[len(number)-2:]
	}
	whole = strings.NewReplacer(",", "", ".", "", " ", "").Replace(whole)
	if _, err := strconv.Atoi(whole); err != nil {
		return "", false
	}
	return whole + "." + cents, true
}

func TestParseSurfaceAmount(t *testing.T) {
	cases := map[string]string{
		"$1,234.50": "1234.50", "1.234,50 EUR": "1234.50", "USD 99": "99.00", "USD 1,200": "1200.00",
		"£12.05": "12.05", "€0,40": "0.40", "1234.50 GBP": "1234.50", "EUR 12 345,00": "12345.00",
	}
	for surface, want := range cases {
		if got, ok := parseSurfaceAmount(surface); !ok || got != want {
			t.Errorf("parseSurfaceAmount(%q) = %q, %v, want %q", surface, got, ok, want)
		}
	}
}

func TestExtractionFieldsRederived(t *testing.T) {
	groups := extractionGroups()

	total := 0
	documents := map[string]string{}
	seenDateLayouts := map[string]bool{}
	seenAmountForms := map[string]bool{}
	for _, g := range groups {
		for _, c := range g.cases {
			total++
			doc := c.item.Input["document"]
			if other, dup := documents[doc]; dup {
				t.Errorf("items %s and %s have the same document", other, c.item.ID)
			}
			documents[doc] = c.item.ID
			if len(c.item.Expected.Fields) != len(g.spec.fields) {
				t.Errorf("item %s: %d expected fields, want %d", c.item.ID, len(c.item.Expected.Fields), len(g.spec.fields))
			}
			if c.dateNote != "" && !strings.Contains(doc, c.dateNote) {
				t.Errorf("item %s: document does not state its date convention", c.item.ID)
			}

			for _, f := range g.spec.fields {
				surface, want := c.surfaces[f.name], c.item.Expected.Fields[f.name]
				if f.name != "currency" && !strings.Contains(doc, surface) {
					t.Errorf("item %s field %s: %q not in the document", c.item.ID, f.name, surface)
				}

				var got string
				ok := true
				switch f.kind {
				case fieldDate:
					got, ok = parseSurfaceDate(surface, c.dateNote)
					seenDateLayouts[dateShape(surface)] = true
				case fieldAmount:
					got, ok = parseSurfaceAmount(surface)
					seenAmountForms[amountShape(surface)] = true
					if !plainTwoPlaces.MatchString(want) {
						t.Errorf("item %s field %s: expected %q is not a plain two-place decimal", c.item.ID, f.name, want)
					}
				case fieldNumber:
					_, err := strconv.Atoi(surface)
					got, ok = surface, err == nil
				default:
					got = surface
				}
				if !ok || got != want {
					t.Errorf("item %s field %s: surface %q re-derives to %q (ok %v), expected %q", c.item.ID, f.name, surface, got, ok, want)
				}
			}
			checkCurrency(t, c)
		}
	}

	if total < 60 {
		t.Errorf("%d extraction items, want at least 60", total)
	}
	if len(seenDateLayouts) < 6 {
		t.Errorf("dates appear in %d shapes, want at least 6: %v", len(seenDateLayouts), seenDateLayouts)
	}
	if len(seenAmountForms) < 6 {
		t.Errorf("amounts appear in %d forms, want at least 6: %v", len(seenAmountForms), seenAmountForms)
	}
}

// checkCurrency checks the currency code against the sign or code of the total.
func checkCurrency(t *testing.T, c extractionCase) {
	t.Helper()
	total, code := c.surfaces["total"], c.item.Expected.Fields["currency"]
	want := map[string]string{"$": "USD", "£": "GBP", "€": "EUR"}
	for sign, iso := range want {
		if strings.HasPrefix(total, sign) && code != iso {
			t.Errorf("item %s: total %q with currency %q, want %s", c.item.ID, total, code, iso)
		}
	}
	if !strings.HasPrefix(total, "$") && !strings.HasPrefix(total, "£") && !strings.HasPrefix(total, "€") && !strings.Contains(total, code) {
		t.Errorf("item %s: total %q does not name currency %q", c.item.ID, total, code)
	}
}

// dateShape replaces digits and letters so that dates of one layout compare equal.
func dateShape(s string) string {
	return regexp.MustCompile(`[A-Za-z]+`).ReplaceAllString(regexp.MustCompile(`\d`).ReplaceAllString(s, "9"), "A")
}

func amountShape(s string) string {
	return regexp.MustCompile(`\d+`).ReplaceAllString(s, "9")
}

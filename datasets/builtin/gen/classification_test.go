package gen

import (
	"strings"
	"testing"
)

func TestClassificationBalanced(t *testing.T) {
	total := 0
	for _, d := range classificationDatasets() {
		counts := map[string]int{}
		texts := map[string]string{}
		for _, it := range d.Items {
			counts[it.Expected.Label]++
			text := strings.ToLower(it.Input["text"])
			if other, dup := texts[text]; dup {
				t.Errorf("%s: items %s and %s have the same text", d.Manifest.Name, other, it.ID)
			}
			texts[text] = it.ID
		}

		if len(d.Items) < 30 {
			t.Errorf("%s: %d items, want at least 30", d.Manifest.Name, len(d.Items))
		}
		want := len(d.Items) / len(d.Manifest.Labels)
		for _, label := range d.Manifest.Labels {
			if counts[label] != want {
				t.Errorf("%s: label %s has %d items, want %d", d.Manifest.Name, label, counts[label], want)
			}
		}
		total += len(d.Items)
	}
	if total < 60 {
		t.Errorf("%d classification items, want at least 60", total)
	}
}

// A text must not name its own label as a word: that would test word matching,
// not classification.
func TestClassificationTextsAvoidLabels(t *testing.T) {
	for _, d := range classificationDatasets() {
		for _, it := range d.Items {
			for _, label := range d.Manifest.Labels {
				word := strings.ReplaceAll(label, "_", " ")
				if containsWord(it.Input["text"], word) || containsWord(it.Input["text"], label) {
					t.Errorf("%s item %s: text contains label %q", d.Manifest.Name, it.ID, label)
				}
			}
		}
	}
}

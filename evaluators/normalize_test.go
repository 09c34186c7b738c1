package evaluators

import "testing"

func TestNormalizeDate(t *testing.T) {
	tests := []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2024-03-05", MonthFirst, "2024-03-05"},
		{"2024-3-5", MonthFirst, "2024-03-05"},
		{"2024/03/05", DayFirst, "2024-03-05"},
		{"2024.03.05", MonthFirst, "2024-03-05"},
		{"2024-03-05T14:30:00Z", MonthFirst, "2024-03-05"},
		{"2024-03-05 14:30", MonthFirst, "2024-03-05"},
		{"20240305", MonthFirst, "2024-03-05"},
		{"03/05/2024", MonthFirst, "2024-03-05"},
		{"03/05/2024", DayFirst, "2024-05-03"},
		{"25/12/2023", MonthFirst, "2023-12-25"},
		{"12/25/2023", DayFirst, "2023-12-25"},
		{"05.03.2024", MonthFirst, "2024-03-05"},
		{"5-3-24", DayFirst, "2024-03-05"},
		{"03/05/99", MonthFirst, "1999-03-05"},
		{"03/05/2024 10:30 am", MonthFirst, "2024-03-05"},
		{"March 5, 2024", MonthFirst, "2024-03-05"},
		{"march 5 2024", DayFirst, "2024-03-05"},
		{"5 March 2024", MonthFirst, "2024-03-05"},
		{"5th of March, 2024", MonthFirst, "2024-03-05"},
		{"March 1st, 2024", MonthFirst, "2024-03-01"},
		{"Mar. 22, 2024", MonthFirst, "2024-03-22"},
		{"22 Sept 2024", MonthFirst, "2024-09-22"},
		{"Tuesday, 5 March 2024", MonthFirst, "2024-03-05"},
		{"Tue, Mar 5, 2024", MonthFirst, "2024-03-05"},
		{"05-Mar-2024", MonthFirst, "2024-03-05"},
		{"2024 March 5", MonthFirst, "2024-03-05"},
		{"  2 January 2006 ", MonthFirst, "2006-01-02"},
		{"5 Mar '24", MonthFirst, "2024-03-05"},
		{"29 February 2024", MonthFirst, "2024-02-29"},
	}
	for _, tt := range tests {
		got, ok := NormalizeDate(tt.in, tt.order)
		if !ok || got != tt.want {
			t.Errorf("NormalizeDate(%q, %s) = %q, %v; want %q", tt.in, tt.order, got, ok, tt.want)
		}
	}
}

func TestNormalizeDateRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"tomorrow",
		"March 2024",
		"30 February 2024",
		"29 February 2023",
		"2024-13-01",
		"2024-00-10",
		"13/13/2024",
		"5 March 5 April 2024",
		"March 5, 2024, 7",
		"1234",
		"12/05",
		"2024-03",
		"31 June 2024",
		"5.3/2024",
	} {
		if got, ok := NormalizeDate(in, MonthFirst); ok {
			t.Errorf("NormalizeDate(%q) = %q, want rejection", in, got)
		}
	}
}

func TestNormalizeAmount(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1234.50", "1234.5"},
		{"$1,234.50", "1234.5"},
		{"1.234,50 EUR", "1234.5"},
		{"€1.234,50", "1234.5"},
		{"EUR 1 234,50", "1234.5"},
		{"1\u00a0234,50", "1234.5"},
		{"1'234.50 CHF", "1234.5"},
		{"USD 99", "99"},
		{"£0.99", "0.99"},
		{"0,99", "0.99"},
		{"12,5", "12.5"},
		{"1,234", "1234"},
		{"1,234,567.89", "1234567.89"},
		{"1.234.567,89", "1234567.89"},
		{"1.234.567", "1234567"},
		{"1.5", "1.5"},
		{"100.00", "100"},
		{"0042.10", "42.1"},
		{"-12.30", "-12.3"},
		{"-$5.00", "-5"},
		{"(1,234.50)", "-1234.5"},
		{"Total: 45.00 USD", "45"},
		{"45.", "45"},
		{"0.00", "0"},
		{"1 234 567", "1234567"},
	}
	for _, tt := range tests {
		got, ok := NormalizeAmount(tt.in)
		if !ok || got != tt.want {
			t.Errorf("NormalizeAmount(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestNormalizeAmountRejects(t *testing.T) {
	for _, in := range []string{"", "free", "$", ",", "-.-", "N/A"} {
		if got, ok := NormalizeAmount(in); ok {
			t.Errorf("NormalizeAmount(%q) = %q, want rejection", in, got)
		}
	}
}

func TestNormalizeAmountKeepsDistinctValues(t *testing.T) {
	pairs := [][2]string{
		{"1,234.50", "1234.05"},
		{"12,50", "1250"},
		{"1.5", "15"},
		{"-5", "5"},
	}
	for _, p := range pairs {
		a, _ := NormalizeAmount(p[0])
		b, _ := NormalizeAmount(p[1])
		if a == b {
			t.Errorf("NormalizeAmount(%q) and NormalizeAmount(%q) are both %q", p[0], p[1], a)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Acme   Corp\n", "acme corp"},
		{"ACME\tCORP", "acme corp"},
		{"", ""},
		{"Jürgen  Müller", "jürgen müller"},
	}
	for _, tt := range tests {
		if got := NormalizeText(tt.in); got != tt.want {
			t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeField(t *testing.T) {
	tests := []struct {
		kind, a, b string
		equal      bool
	}{
		{FieldDate, "March 5, 2024", "2024-03-05", true},
		{FieldDate, "March 6, 2024", "2024-03-05", false},
		{FieldDate, "unknown", "UNKNOWN", true},
		{FieldAmount, "$1,234.50", "1234.50", true},
		{FieldAmount, "$1,234.51", "1234.50", false},
		{FieldNumber, "3", "3.0", true},
		{FieldText, " Acme Corp ", "acme corp", true},
		{FieldText, "Acme Corp.", "acme corp", false},
		{"", "2024-03-05", "March 5, 2024", false},
	}
	for _, tt := range tests {
		a := NormalizeField(tt.kind, tt.a, MonthFirst)
		b := NormalizeField(tt.kind, tt.b, MonthFirst)
		if (a == b) != tt.equal {
			t.Errorf("NormalizeField(%q, %q) = %q and (%q) = %q; equal should be %v", tt.kind, tt.a, a, tt.b, b, tt.equal)
		}
	}
}

package report

import "github.com/xuri/excelize/v2"

// Number formats of the workbook.
const (
	numFmtText     = 49 // built-in "@": the cell holds text
	numFmtPercent  = "0.0%"
	numFmtScore    = "0.000"
	numFmtPValue   = "0.0000"
	numFmtRate     = "#,##0.0"
	numFmtInteger  = "#,##0"
	numFmtMoney    = `"$"#,##0.00`
	numFmtMoneyDoc = `"$"#,##0.000000` // cost per document is a fraction of a cent
	numFmtDateTime = "yyyy-mm-dd hh:mm:ss"
	numFmtMS       = "#,##0.0"
	numFmtRatio    = `0.00"×"`
)

// styles are the workbook's style ids.
type styles struct {
	header   int
	title    int
	text     int
	percent  int
	score    int
	pvalue   int
	rate     int
	integer  int
	money    int
	moneyDoc int
	dateTime int
	ms       int
	ratio    int
	pass     int
	fail     int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	add := func(style *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(style)
		return id
	}
	custom := func(format string) *excelize.Style {
		return &excelize.Style{CustomNumFmt: &format}
	}

	s.header = add(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	s.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	s.text = add(&excelize.Style{NumFmt: numFmtText})
	s.percent = add(custom(numFmtPercent))
	s.score = add(custom(numFmtScore))
	s.pvalue = add(custom(numFmtPValue))
	s.rate = add(custom(numFmtRate))
	s.integer = add(custom(numFmtInteger))
	s.money = add(custom(numFmtMoney))
	s.moneyDoc = add(custom(numFmtMoneyDoc))
	s.dateTime = add(custom(numFmtDateTime))
	s.ms = add(custom(numFmtMS))
	s.ratio = add(custom(numFmtRatio))
	s.pass = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "006100"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}})
	s.fail = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	return s, err
}

package report

import (
	"errors"
	"fmt"
	"os"

	"github.com/xuri/excelize/v2"

	"github.com/quantbench/quantbench/results"
)

// itemColumns are the Items sheet's columns, one row per record.
var itemColumns = []string{
	"Dataset", "Category", "Item ID", "Model", "Role", "Quantization", "Repeat",
	"Status", "Outcome", "Score", "Baseline score", "Change vs baseline", "Flip vs baseline",
	"Done reason", "Input tokens", "Output tokens", "Decode tokens/s", "Wall ms", "TTFT ms",
	"Attempts", "Answer", "Output", "Error", "Start (UTC)",
}

// Flip labels of the Items sheet. A flip compares a record's score with the
// baseline's repeat-0 score on the same item, as the paired comparison does:
// the scores differ by more than the category's flip threshold. Pass/fail
// scores get the correct/wrong labels, continuous scores the up/down ones.
const (
	flipCorrectToWrong = "correct to wrong"
	flipWrongToCorrect = "wrong to correct"
	flipScoreDown      = "score down"
	flipScoreUp        = "score up"
	flipNone           = "no flip"
)

// baselineScore is the baseline's repeat-0 score of one item, the reference
// of the Items sheet's change and flip columns.
type baselineScore struct {
	value  float64
	binary bool
}

// itemKey identifies an item across models.
func itemKey(r *results.Record) string {
	return r.Dataset + "\x00" + r.ItemID
}

// writeItems streams one row per record into the Items sheet in file order,
// continuing on "Items (2)", "Items (3)" ... when a sheet's rows run out.
// It reads records.jsonl twice: first for the baseline's scores, then for
// the rows. Memory holds one record at a time plus one score per item, never
// the rows, which the stream writer keeps in a temporary file.
func (w *workbook) writeItems() error {
	baseline, err := w.readBaselineScores()
	if err != nil {
		return err
	}
	thresholds := flipThresholds(w.s)

	sheet := &itemSheet{w: w, name: sheetItems, number: 1}
	if err := sheet.open(); err != nil {
		return err
	}
	err = results.ReadRecords(w.records, func(r *results.Record) error {
		return sheet.add(w.itemRow(r, baseline, thresholds))
	})
	if err != nil {
		return fmt.Errorf("read %s: %w", w.records, err)
	}
	return sheet.flush()
}

// readBaselineScores returns the baseline's repeat-0 scores by item key.
func (w *workbook) readBaselineScores() (map[string]baselineScore, error) {
	scores := map[string]baselineScore{}
	err := results.ReadRecords(w.records, func(r *results.Record) error {
		if r.Role == results.RoleBaseline && r.Repeat == 0 && r.Status == results.StatusOK && r.Score != nil {
			scores[itemKey(r)] = baselineScore{value: r.Score.Value, binary: r.Score.Binary}
		}
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s not found: the Items sheet is built from it, so pass the results folder that contains it", w.records)
	}
	if err != nil {
		return nil, err
	}
	return scores, nil
}

// itemRow is the Items row of one record.
func (w *workbook) itemRow(r *results.Record, baseline map[string]baselineScore, thresholds map[string]float64) []any {
	row := make([]any, 0, len(itemColumns))
	row = append(row,
		w.streamText(r.Dataset), w.streamText(r.Category), w.streamText(r.ItemID),
		w.streamText(r.Model), w.streamText(r.Role), w.streamText(r.Quantization), r.Repeat,
		w.streamText(string(r.Status)),
	)

	var outcome, answer string
	var score, base, change any
	flip := ""
	if r.Score != nil {
		outcome, answer = string(r.Score.Outcome), r.Score.Answer
		score = excelize.Cell{Value: r.Score.Value, StyleID: w.styles.score}
	}
	ref, paired := baseline[itemKey(r)]
	isReference := r.Role == results.RoleBaseline && r.Repeat == 0
	if paired && !isReference {
		base = excelize.Cell{Value: ref.value, StyleID: w.styles.score}
		if r.Score != nil && r.Status == results.StatusOK {
			change = excelize.Cell{Value: r.Score.Value - ref.value, StyleID: w.styles.score}
			flip = flipLabel(ref, r.Score.Value, r.Score.Binary, thresholds[r.Category])
		}
	}
	row = append(row, w.streamText(outcome), score, base, change, w.streamText(flip))

	row = append(row, w.streamText(r.DoneReason), intCell(r.PromptEvalCount), intCell(r.EvalCount))
	if rate, ok := decodeRate(r); ok {
		row = append(row, excelize.Cell{Value: rate, StyleID: w.styles.rate})
	} else {
		row = append(row, nil)
	}
	row = append(row, excelize.Cell{Value: r.WallMS, StyleID: w.styles.ms})
	if r.TTFTMS != nil {
		row = append(row, excelize.Cell{Value: *r.TTFTMS, StyleID: w.styles.ms})
	} else {
		row = append(row, nil)
	}
	row = append(row, r.Attempts, w.streamText(answer), w.streamText(r.Output), w.streamText(r.Error))
	if r.Start.IsZero() {
		row = append(row, nil)
	} else {
		row = append(row, excelize.Cell{Value: r.Start.UTC(), StyleID: w.styles.dateTime})
	}
	return row
}

// flipLabel compares a score with the baseline's: a flip is a difference of
// more than threshold.
func flipLabel(ref baselineScore, value float64, binary bool, threshold float64) string {
	pass := ref.binary && binary
	switch diff := value - ref.value; {
	case diff < -threshold && pass:
		return flipCorrectToWrong
	case diff > threshold && pass:
		return flipWrongToCorrect
	case diff < -threshold:
		return flipScoreDown
	case diff > threshold:
		return flipScoreUp
	default:
		return flipNone
	}
}

// flipThresholds maps a category to the flip threshold its comparisons
// used. A category without a comparison gets 0: any change is a flip.
func flipThresholds(s *results.Summary) map[string]float64 {
	thresholds := map[string]float64{}
	for _, n := range s.NoiseFloors {
		thresholds[n.Category] = n.FlipThreshold
	}
	for _, c := range s.Comparisons {
		thresholds[c.Category] = c.FlipThreshold
	}
	return thresholds
}

// decodeRate is eval_count / eval_duration in tokens per second, when Ollama
// returned both and the duration is positive.
func decodeRate(r *results.Record) (float64, bool) {
	if r.EvalCount == nil || r.EvalDuration == nil || *r.EvalDuration <= 0 {
		return 0, false
	}
	return float64(*r.EvalCount) / (float64(*r.EvalDuration) / 1e9), true
}

func intCell(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// itemSheet is the stream writer of the Items sheet and its continuations.
type itemSheet struct {
	w      *workbook
	name   string
	number int // 1 for Items, 2 for "Items (2)" ...
	sw     *excelize.StreamWriter
	row    int // last row written
}

func (s *itemSheet) open() error {
	if s.number > 1 {
		s.name = sheetName(fmt.Sprintf("%s (%d)", sheetItems, s.number))
		if _, err := s.w.f.NewSheet(s.name); err != nil {
			return err
		}
		// Keep the continuation next to the sheets before it, ahead of Run.
		if err := s.w.f.MoveSheet(s.name, sheetRun); err != nil {
			return err
		}
	}

	var err error
	if s.sw, err = s.w.f.NewStreamWriter(s.name); err != nil {
		return err
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := s.setWidths(); err != nil {
		return err
	}

	header := make([]any, len(itemColumns))
	for i, name := range itemColumns {
		header[i] = excelize.Cell{Value: name, StyleID: s.w.styles.header}
	}
	s.row = 1
	return s.sw.SetRow("A1", header)
}

func (s *itemSheet) setWidths() error {
	widths := map[string]float64{"Item ID": 14, "Model": 28, "Answer": 24, "Output": 60, "Error": 30, "Start (UTC)": 20}
	for i, name := range itemColumns {
		width, ok := widths[name]
		if !ok {
			width = 12
		}
		if err := s.sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	return nil
}

// itemSheetRows is the number of rows, header included, of one Items
// sheet: Excel's maximum. Tests lower it to exercise the continuation.
var itemSheetRows = excelize.TotalRows

// add writes one row, moving to a new sheet when this one is full.
func (s *itemSheet) add(row []any) error {
	if s.row == itemSheetRows {
		if err := s.sw.Flush(); err != nil {
			return err
		}
		s.number++
		if err := s.open(); err != nil {
			return err
		}
	}
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, row)
}

// flush ends the sheet. Its rows become an Excel table, so a reader can
// filter by model, status or flip from the header row.
func (s *itemSheet) flush() error {
	if s.row > 1 {
		last, err := excelize.CoordinatesToCellName(len(itemColumns), s.row)
		if err != nil {
			return err
		}
		table := &excelize.Table{
			Range:     "A1:" + last,
			Name:      fmt.Sprintf("ItemsTable%d", s.number),
			StyleName: "TableStyleLight1",
		}
		if err := s.sw.AddTable(table); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

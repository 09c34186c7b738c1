package report

func (w *workbook) writeSummary() error     { return nil }
func (w *workbook) writeDegradation() error { return nil }
func (w *workbook) writeThroughput() error  { return nil }
func (w *workbook) writeCharts() error      { return nil }

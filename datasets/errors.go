package datasets

import (
	"fmt"
	"strings"
)

// MaxErrors is the number of problems a ValidationError lists before it only
// counts the rest, so that a wholly wrong file gives a readable message.
const MaxErrors = 50

// FieldError is one problem in a dataset file: where it is, which field, and
// what is wrong and how to fix it.
type FieldError struct {
	File string
	// Line is 1-based; 0 means the problem concerns the whole file.
	Line int
	// Field is the JSON path of the field in an item (for example
	// "expected.label") or the key in a manifest (for example "num_predict").
	Field   string
	Message string
}

// Error formats the problem as "file:line: field: message", leaving out the
// parts that are unknown.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// ValidationError lists the problems found in one or more dataset files. It
// keeps the first MaxErrors problems and counts the others in Omitted.
type ValidationError struct {
	Errors  []*FieldError
	Omitted int
}

// Error prints one problem a line.
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Errors)+1)
	for _, fe := range e.Errors {
		lines = append(lines, fe.Error())
	}
	if e.Omitted > 0 {
		lines = append(lines, fmt.Sprintf("... and %d more errors", e.Omitted))
	}
	return strings.Join(lines, "\n")
}

// problems collects FieldErrors up to MaxErrors for one file.
type problems struct {
	file string
	list ValidationError
}

func (p *problems) add(line int, field, format string, args ...any) {
	p.addError(&FieldError{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) addError(fe *FieldError) {
	if len(p.list.Errors) >= MaxErrors {
		p.list.Omitted++
		return
	}
	p.list.Errors = append(p.list.Errors, fe)
}

// merge appends the problems of another ValidationError.
func (p *problems) merge(v *ValidationError) {
	for _, fe := range v.Errors {
		p.addError(fe)
	}
	p.list.Omitted += v.Omitted
}

func (p *problems) empty() bool {
	return len(p.list.Errors) == 0 && p.list.Omitted == 0
}

// err returns nil when nothing was found, else a *ValidationError.
func (p *problems) err() error {
	if p.empty() {
		return nil
	}
	v := p.list
	return &v
}

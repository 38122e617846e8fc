package aeo

import (
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safe-aeo/engine/criteria"
)

// Text returns the assessment as a readable report for an officer (the
// internal view) or for the operator (after OperatorView). The report
// lists authorizations, criteria and every finding in programme order.
func (a *Assessment) Text() string {
	var b strings.Builder
	_ = a.WriteText(&b)
	return b.String()
}

// WriteText writes the report Text returns. The operator view (View
// "operator") is written from what OperatorView keeps, and leaves out the
// internal parts of the report even when given a full assessment marked
// so: reasons, facts read, failed comparisons, missing facts and
// internal messages.
func (a *Assessment) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	operator := a.View == "operator"
	fp := a.Fingerprint
	if len(fp) > 19 {
		fp = fp[:19] + "…"
	}
	ew.printf("%s, version %s (%s)\n", a.Programme, a.Version, fp)
	ew.printf("Operator: %s (%s)\n", orDash(a.Operator), orDash(a.OperatorID))
	ew.printf("Assessed as of %s, %s view. The engine recommends; Customs decides.\n", a.AsOf.Format(time.DateOnly), a.View)
	if len(a.Authorizations) > 0 {
		ew.printf("\nAuthorizations\n")
		tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
		for _, au := range a.Authorizations {
			line := au.Recommendation.String()
			if au.Grade != "" {
				line += ", grade " + au.Grade
			}
			why := au.Why()
			if operator {
				// The reason may quote a grant rule; the criteria that
				// failed or are pending are the operator's to know.
				au.Reason = ""
				why = au.Why()
			}
			if why != "" {
				line += " (" + why + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", au.ID, au.Title, line)
		}
		_ = tw.Flush()
	}
	ew.printf("\nCriteria\n")
	tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
	for _, c := range a.Criteria {
		extra := tallyText(c.Tally)
		if c.HasScore {
			extra += fmt.Sprintf(", score %s", number(c.Score))
		}
		if c.Reason != "" && !operator {
			extra += "; " + c.Reason
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.ID, c.Title, c.Outcome, extra)
	}
	_ = tw.Flush()
	ew.printf("\nFindings\n")
	for _, f := range a.Findings {
		ew.printf("  %s %s: %s", f.Requirement, f.Title, f.Outcome)
		if f.Points != 0 {
			ew.printf(" (%s points)", signed(f.Points))
		}
		ew.printf("\n")
		if f.SME {
			ew.printf("      SME alternative applied\n")
		}
		if f.Equivalence != "" {
			ew.printf("      satisfied by %s\n", f.Equivalence)
		}
		if len(f.Missing) > 0 && !operator {
			ew.printf("      missing: %s\n", strings.Join(f.Missing, ", "))
		}
		if f.Reason != "" && !operator {
			ew.printf("      %s\n", f.Reason)
		}
		for _, c := range f.Failed {
			if operator {
				break
			}
			ew.printf("      failed: %s %s %s, found %s\n", c.Subject, c.Op, c.Threshold, FormatValue(c.Actual))
		}
		if len(f.Facts) > 0 && f.Outcome != criteria.Met && f.Outcome != criteria.Equivalent && !operator {
			var parts []string
			for _, v := range f.Facts {
				if v.Fact == "as_of" {
					continue
				}
				parts = append(parts, v.Fact+" = "+FormatValue(v.Value()))
			}
			if len(parts) > 0 {
				ew.printf("      read: %s\n", strings.Join(parts, "; "))
			}
		}
		if f.VerifyOnSite {
			ew.printf("      to verify on site\n")
		}
		// A finding carries the message of its outcome only (none when
		// met); the operator view shows the operator text alone.
		if operator {
			if f.Messages.Operator != "" {
				ew.printf("      %s\n", f.Messages.Operator)
			}
		} else {
			if f.Messages.Internal != "" {
				ew.printf("      internal: %s\n", f.Messages.Internal)
			}
			if f.Messages.Operator != "" {
				ew.printf("      to the operator: %s\n", f.Messages.Operator)
			}
		}
		src := f.Source
		if f.Unverified {
			src += " [unverified]"
		}
		ew.printf("      source: %s\n", src)
	}
	if len(a.VerifyOnSite) > 0 {
		ew.printf("\nTo verify on site: %s\n", strings.Join(a.VerifyOnSite, ", "))
	}
	return ew.err
}

func tallyText(t criteria.Tally) string {
	parts := []string{fmt.Sprintf("%d met", t.Met+t.Equivalent)}
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(t.Partly, "partly")
	add(t.NotMet, "not met")
	add(t.Indeterminate, "undecided")
	add(t.NotApplicable, "not applicable")
	if t.Points != 0 {
		parts = append(parts, signed(t.Points)+" points")
	}
	return strings.Join(parts, ", ")
}

func signed(f float64) string {
	if f > 0 {
		return "+" + number(f)
	}
	return number(f)
}

func number(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprintf("%.2f", f)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// FormatValue renders a fact value briefly for reports: dates as dates,
// lists by their length, records by their keys.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "absent"
	case time.Time:
		return x.Format(time.DateOnly)
	case string:
		return fmt.Sprintf("%q", x)
	case float64:
		return number(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Len() == 0 {
			return "none"
		}
		if rv.Len() <= 4 && rv.Type().Elem().Kind() == reflect.String {
			var parts []string
			for i := 0; i < rv.Len(); i++ {
				parts = append(parts, rv.Index(i).String())
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		if rv.Len() == 1 {
			return "1 entry"
		}
		return fmt.Sprintf("%d entries", rv.Len())
	case reflect.Map:
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, fmt.Sprint(k.Interface()))
		}
		sort.Strings(keys)
		return "{" + strings.Join(keys, ", ") + "}"
	case reflect.Struct:
		return fmt.Sprintf("%+v", v)
	}
	return fmt.Sprint(v)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

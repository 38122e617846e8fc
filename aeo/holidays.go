package aeo

import (
	"fmt"
	"path"
	"slices"
	"strconv"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
)

// holidayFiles returns a copy of cfg with the holidays of the files it
// names added by year, read relative to src. Problems in a holiday file
// are reported in that file, at their line and column; a year listed
// twice is reported at the second listing.
func (l *loader) holidayFiles(src *source, cfg *calendar.Config) *calendar.Config {
	out := *cfg
	out.Holidays = make(map[string][]calendar.Holiday, len(cfg.Holidays)+len(cfg.HolidayFiles))
	for k, v := range cfg.Holidays {
		out.Holidays[k] = slices.Clone(v)
	}
	out.WorkingWeek = slices.Clone(cfg.WorkingWeek)
	out.HolidayFiles = slices.Clone(cfg.HolidayFiles)
	var errs diag.List
	for i, name := range cfg.HolidayFiles {
		at := diag.Index("calendar.holiday_files", i)
		file := path.Join(path.Dir(src.name), name)
		data, err := l.read(file)
		if err != nil {
			errs.Add(at, "%v", err)
			continue
		}
		var hf calendar.HolidayFile
		doc, err := decode.ParseLimited(l.prefix+file, data, l.limits)
		if err != nil {
			l.positioned = append(l.positioned, asList(err)...)
			continue
		}
		problems := doc.Decode(&hf)
		if len(problems) == 0 {
			var v diag.List
			v.Wrap("", hf.Validate())
			for _, e := range v {
				doc.Resolve(e)
			}
			problems = v
		}
		if len(problems) > 0 {
			l.positioned = append(l.positioned, problems...)
			continue
		}
		year := strconv.Itoa(hf.Year)
		if _, dup := out.Holidays[year]; dup {
			e := &diag.Error{Path: "year", Message: fmt.Sprintf("the holidays of %s are listed twice: in the calendar or in another holiday file", year)}
			doc.Resolve(e)
			l.positioned = append(l.positioned, e)
			continue
		}
		out.Holidays[year] = hf.Holidays
	}
	if len(out.Holidays) == 0 {
		out.Holidays = nil
	}
	for _, e := range errs {
		if src.doc != nil {
			src.doc.Resolve(e)
		}
	}
	l.positioned = append(l.positioned, errs...)
	return &out
}

// asList returns err as a diag.List.
func asList(err error) diag.List {
	if l, ok := err.(diag.List); ok {
		return l
	}
	return diag.List{{Message: err.Error(), Err: err}}
}

// workingDays reports whether any period of c counts working days or
// rolls off non-working days, by itself or by the calendar's roll.
func workingDays(c lifecycle.Config, roll calendar.Roll) bool {
	if (roll == calendar.RollNext || roll == calendar.RollPrevious) && len(c.Rules()) > 0 {
		return true
	}
	for _, r := range c.Rules() {
		p, err := calendar.ParsePeriod(r.Value)
		if err == nil && (p.WorkingDays != 0 || p.Roll == calendar.RollNext || p.Roll == calendar.RollPrevious) {
			return true
		}
	}
	return false
}

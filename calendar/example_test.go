package calendar_test

import (
	"fmt"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

func ExampleCalendar_Add() {
	c := calendar.MustCompile(calendar.Config{
		Roll: calendar.RollNext,
		Holidays: map[string][]calendar.Holiday{
			"2025": {{Date: time.Date(2025, 4, 18, 0, 0, 0, 0, time.UTC), Name: "Good Friday"},
				{Date: time.Date(2025, 4, 21, 0, 0, 0, 0, time.UTC), Name: "Easter Monday"}},
		},
	})
	lodged := time.Date(2025, 4, 16, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"3wd", "2d", "2d roll:none", "1m+eom"} {
		p, _ := calendar.ParsePeriod(s)
		d, err := c.Add(p, lodged)
		if err != nil {
			fmt.Println(s, err)
			continue
		}
		fmt.Println(s, d.Format(time.DateOnly))
	}
	// Output:
	// 3wd 2025-04-23
	// 2d 2025-04-22
	// 2d roll:none 2025-04-18
	// 1m+eom 2025-06-02
}

func ExampleParsePeriod() {
	for _, s := range []string{"120d", "7wd", "3m+eom", "0wd", "-3wd"} {
		p, err := calendar.ParsePeriod(s)
		fmt.Println(p, err)
	}
	// Output:
	// 120d <nil>
	// 7wd <nil>
	// 3m+eom <nil>
	// 0d period "0wd": zero working days is no period; write at least 1wd
	// 0d period "-3wd": negative periods are refused; a period counts forward from the event
}

//go:build !race

package criteria_test

const raceEnabled = false

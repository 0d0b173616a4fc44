//go:build integration && !race

package integration

// raceEnabled tells the reports that the race detector was on (R16).
const raceEnabled = false

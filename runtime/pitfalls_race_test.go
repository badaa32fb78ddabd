//go:build race

package runtime

// raceDetectorOn reports whether the test binary was built with -race.
const raceDetectorOn = true

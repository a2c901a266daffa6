package builtins

import "time"

// nowFunc is the wall clock for clock_timestamp(); a variable so tests can
// hold time still.
var nowFunc = time.Now

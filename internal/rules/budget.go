package rules

import (
	"context"
	"errors"
	"fmt"
)

// Bounded evaluation.
//
// Every evaluation of a program (one call of Run, Bool or Number) has a
// budget of work (steps) and of memory, counted the same way on the
// lowered closures and on expr's VM:
//
//   - a loop, or a builtin that goes over a list, a map or a string,
//     costs the length of what it goes over (a string one step per 64
//     bytes), counted when it starts;
//   - building a string costs its length in bytes, building a list, a
//     range or a map 16 bytes an element.
//
// Budgets are charged where loops start and where values grow, never on
// the nodes in between, so that a rule without loops or strings it builds
// pays nothing. The caller's context (Runner.SetContext) is checked when
// a charge passes a checkpoint, every 1024 steps, so that a long loop
// stops soon after the context is done. A regular expression built at
// run time (from a value of the profile rather than from the programme's
// text) is refused when longer than MaxPattern bytes: the time to match
// grows with the pattern's length times the text's.

// Limits bound one evaluation of one program. A zero field takes its
// default.
type Limits struct {
	// MaxSteps bounds the work (see above). Default DefaultMaxSteps.
	MaxSteps int
	// MaxMemory bounds, in bytes, the strings, lists and maps one
	// evaluation builds. Default DefaultMaxMemory.
	MaxMemory int
	// MaxPattern bounds the length in bytes of a regular expression
	// built at run time. Default DefaultMaxPattern.
	MaxPattern int
}

// Defaults of Limits.
const (
	DefaultMaxSteps   = 1_000_000
	DefaultMaxMemory  = 16 << 20
	DefaultMaxPattern = 256
)

// withDefaults returns l with its zero fields set to their defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxSteps <= 0 {
		l.MaxSteps = DefaultMaxSteps
	}
	if l.MaxMemory <= 0 {
		l.MaxMemory = DefaultMaxMemory
	}
	if l.MaxPattern <= 0 {
		l.MaxPattern = DefaultMaxPattern
	}
	return l
}

// A LimitError reports an evaluation stopped by its budget.
type LimitError struct {
	What  string // "steps", "bytes of memory" or "bytes of pattern"
	Limit int
}

func (e *LimitError) Error() string {
	switch e.What {
	case "pattern":
		return fmt.Sprintf("the rule builds a pattern longer than %d bytes from the profile's values", e.Limit)
	case "memory":
		return fmt.Sprintf("the rule exceeds its budget of %d bytes of memory", e.Limit)
	}
	return fmt.Sprintf("the rule exceeds its budget of %d steps", e.Limit)
}

// An ArithmeticError reports a computation whose result is not a finite
// number: a division by zero, an overflow, a NaN.
type ArithmeticError struct {
	Op  string
	Msg string
}

func (e *ArithmeticError) Error() string {
	if e.Op == "" {
		return "arithmetic: " + e.Msg
	}
	return fmt.Sprintf("arithmetic: %s: %s", e.Op, e.Msg)
}

// errStop carries a LimitError or the context's error out of the lowered
// closures: unlike errFail, it is the caller's answer, not a cue to run
// the VM.
var errStop = errors.New("rules: evaluation stopped")

// checkEvery is how many steps pass between two looks at the context.
const checkEvery = 1024

// A budget is the state of the bounds of one evaluation: the frame's for
// the lowered closures, the same one for the VM's hooks.
type budget struct {
	steps, mem int // used
	checkAt    int // steps at which to check the context or the limit
	limits     Limits
	done       <-chan struct{}
	ctx        context.Context
	stopped    error // why the evaluation stopped, with errStop
}

// reset starts a new evaluation.
func (b *budget) reset() {
	b.steps, b.mem, b.stopped = 0, 0, nil
	b.checkAt = b.limits.MaxSteps
	if b.done != nil && checkEvery < b.checkAt {
		b.checkAt = checkEvery
	}
}

// bind sets the context of the evaluations to come.
func (b *budget) bind(ctx context.Context) {
	b.ctx, b.done = ctx, nil
	if ctx != nil {
		b.done = ctx.Done()
	}
}

// step charges n steps.
func (b *budget) step(n int) error {
	b.steps += n
	if b.steps > b.checkAt {
		return b.checkpoint()
	}
	return nil
}

// checkpoint checks the limit and the context.
func (b *budget) checkpoint() error {
	if b.steps > b.limits.MaxSteps {
		return b.stop(&LimitError{What: "steps", Limit: b.limits.MaxSteps})
	}
	if b.done != nil {
		select {
		case <-b.done:
			return b.stop(b.ctx.Err())
		default:
		}
		b.checkAt = min(b.limits.MaxSteps, b.steps+checkEvery)
	}
	return nil
}

// alloc charges n bytes built.
func (b *budget) alloc(n int) error {
	b.mem += n
	if b.mem > b.limits.MaxMemory || n < 0 {
		return b.stop(&LimitError{What: "memory", Limit: b.limits.MaxMemory})
	}
	return nil
}

// fits reports whether n more bytes fit, without charging them: for a
// value whose size is known before it is built.
func (b *budget) fits(n int) error {
	if n < 0 || n > b.limits.MaxMemory-b.mem {
		return b.stop(&LimitError{What: "memory", Limit: b.limits.MaxMemory})
	}
	return nil
}

// pattern checks the length of a pattern built at run time.
func (b *budget) pattern(p string) error {
	if len(p) > b.limits.MaxPattern {
		return b.stop(&LimitError{What: "pattern", Limit: b.limits.MaxPattern})
	}
	return nil
}

func (b *budget) stop(err error) error {
	if b.stopped == nil {
		b.stopped = err
	}
	return errStop
}

// elemBytes is what one element of a list, range or map costs.
const elemBytes = 16

// strSteps is what scanning a string of n bytes costs.
func strSteps(n int) int { return n >> 6 }

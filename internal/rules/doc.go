// Package rules is the expression layer: the only package that imports
// github.com/expr-lang/expr.
package rules

import (
	_ "github.com/expr-lang/expr"
)

// Package decode decodes programme files (YAML or JSON) into Go values,
// strictly, and reports every problem with file, line and column.
package decode

import _ "go.yaml.in/yaml/v3"

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/yaml"
)

// outputFormat is the value of -o/--output. It implements pflag.Value, so a bad value is a flag
// error and exits with exitUsage, as kubectl does.
type outputFormat string

const (
	outputTable outputFormat = "table"
	outputJSON  outputFormat = "json"
	outputYAML  outputFormat = "yaml"
)

func (o *outputFormat) String() string { return string(*o) }
func (o *outputFormat) Type() string   { return "format" }

func (o *outputFormat) Set(s string) error {
	switch f := outputFormat(strings.ToLower(s)); f {
	case outputTable, outputJSON, outputYAML:
		*o = f
		return nil
	default:
		return fmt.Errorf("unknown output format %q: want table, json or yaml", s)
	}
}

// writeStructured prints v as indented JSON or as YAML. The YAML goes through the JSON encoding, so
// the field names (json tags) are the same in both.
func writeStructured(w io.Writer, format outputFormat, v any) error {
	switch format {
	case outputJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case outputYAML:
		b, err := yaml.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode yaml: %w", err)
		}
		_, err = w.Write(b)
		return err
	default:
		return fmt.Errorf("format %q is not structured", format)
	}
}

package main

import (
	"errors"
	"fmt"
)

// Exit codes. Scripts rely on them, so they never change.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error as the user's misuse of the command line (an unknown flag, a missing
// argument), which exits with exitUsage rather than exitFailure.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// asUsage wraps err as a usageError; nil stays nil.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err: err}
}

// silentError is a failure whose explanation has already been printed (a violated invariant, for
// example); run exits with its code without printing anything more.
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	var u *usageError
	var s *silentError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &s):
		return s.code
	case errors.As(err, &u):
		return exitUsage
	default:
		return exitFailure
	}
}

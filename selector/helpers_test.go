package selector

import (
	"reflect"
	"testing"
)

// Small assertion helpers: testify's assert package needs a go.sum entry the shared module does not
// have yet, and the standard library is enough here.

func eq[T any](t *testing.T, got, want T, ctx ...any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%v: got %#v, want %#v", ctx, got, want)
	}
}

func isTrue(t *testing.T, b bool, ctx ...any) {
	t.Helper()
	if !b {
		t.Errorf("%v: want true", ctx)
	}
}

func isFalse(t *testing.T, b bool, ctx ...any) {
	t.Helper()
	if b {
		t.Errorf("%v: want false", ctx)
	}
}

func noErr(t *testing.T, err error, ctx ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%v: unexpected error: %v", ctx, err)
	}
}

func wantErr(t *testing.T, err error, ctx ...any) {
	t.Helper()
	if err == nil {
		t.Errorf("%v: want an error", ctx)
	}
}

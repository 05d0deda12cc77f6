package kube

import (
	"reflect"

	"k8s.io/apimachinery/pkg/api/resource"
)

var quantityType = reflect.TypeFor[resource.Quantity]()

// canonicalQuantities replaces every resource.Quantity inside obj (a pointer) by the value the
// controller sees once the object has been through the API server: the server stores a quantity
// as its canonical string and every reader parses that string again. The hash dumps a quantity's
// internal fields, which differ between "0.5" as written and "500m" as read back, so without this
// step a template with `cpu: "0.5"` would hash differently from what a cluster computes.
func canonicalQuantities(obj any) {
	canonicalizeValue(reflect.ValueOf(obj))
}

func canonicalizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			canonicalizeValue(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == quantityType {
			if v.CanSet() {
				q := v.Addr().Interface().(*resource.Quantity)
				if parsed, err := resource.ParseQuantity(q.String()); err == nil {
					*q = parsed
				}
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				canonicalizeValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			canonicalizeValue(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem() != quantityType {
			if v.Type().Elem().Kind() == reflect.Struct || v.Type().Elem().Kind() == reflect.Pointer {
				// Map values are not addressable: copy out, fix, store back.
				iter := v.MapRange()
				for iter.Next() {
					e := reflect.New(v.Type().Elem()).Elem()
					e.Set(iter.Value())
					canonicalizeValue(e)
					v.SetMapIndex(iter.Key(), e)
				}
			}
			return
		}
		iter := v.MapRange()
		for iter.Next() {
			q := iter.Value().Interface().(resource.Quantity)
			if parsed, err := resource.ParseQuantity(q.String()); err == nil {
				v.SetMapIndex(iter.Key(), reflect.ValueOf(parsed))
			}
		}
	}
}

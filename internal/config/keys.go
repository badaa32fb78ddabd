package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// unknownKey returns an error naming the first key of settings, by its full
// path ("blockingcall.functions[0].hnit"), that Config does not have, and the
// keys that are valid there.
//
// The strict JSON decoding rejects unknown keys too, but encoding/json names
// only the last path element, which is ambiguous in a nested block.
func unknownKey(settings any) error {
	return walkKeys(settings, reflect.TypeFor[Config](), "")
}

func walkKeys(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil // a type mismatch: DecodeMap reports it with its path
		}
		fields := jsonFields(t)
		for _, key := range slices.Sorted(maps.Keys(m)) {
			ft, ok := lookup(fields, key)
			if !ok {
				return fmt.Errorf("unknown key %q (known at this level: %s)",
					join(path, key), strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
			}
			if err := walkKeys(m[key], ft, join(path, key)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, elem := range list {
			if err := walkKeys(elem, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields maps each JSON key of struct type t to its field's type.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type)
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

// lookup finds key the way encoding/json does: exactly, or else ignoring
// case.
func lookup(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if t, ok := fields[key]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

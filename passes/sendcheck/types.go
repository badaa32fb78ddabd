package sendcheck

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/internal/asyncapi"
	"github.com/asynclint/asynclint/internal/config"
)

// unsafeType is a standard-library type whose values are not safe for
// concurrent use: any method call on one mutates hidden state, so every use
// counts as a write.
type unsafeType struct {
	path, name string
	why        string // documentation: where the standard library says so
}

// unsafeStd is the one table of standard-library types that are not safe for
// concurrent use. Values of any type implementing hash.Hash are unsafe too
// (see isUnsafe): hash implementations are unexported behind constructors.
// Users extend the table with config.Sendcheck.Unsafe or -sendcheck.unsafe.
var unsafeStd = []unsafeType{
	{"math/rand", "Rand", "the package doc: a Rand is not safe for concurrent use"},
	{"math/rand/v2", "Rand", "same as math/rand: only the top-level functions are safe"},
	{"math/rand/v2", "PCG", "a source with unsynchronized state"},
	{"math/rand/v2", "ChaCha8", "a source with unsynchronized state"},
	{"bytes", "Buffer", "reads and writes move unsynchronized offsets"},
	{"bytes", "Reader", "Read moves an unsynchronized offset"},
	{"strings", "Builder", "WriteString appends to an unsynchronized slice"},
	{"strings", "Reader", "Read moves an unsynchronized offset"},
	{"bufio", "Reader", "buffered state without a lock"},
	{"bufio", "Writer", "buffered state without a lock"},
	{"bufio", "ReadWriter", "a Reader and a Writer"},
	{"bufio", "Scanner", "Scan mutates the token buffer"},
	{"container/list", "List", "links are updated without a lock"},
	{"container/ring", "Ring", "links are updated without a lock"},
	{"text/tabwriter", "Writer", "buffers cells without a lock"},
	{"encoding/json", "Encoder", "shares an output buffer and indentation state"},
	{"encoding/json", "Decoder", "shares an input buffer and scanner state"},
	{"encoding/gob", "Encoder", "the doc promises safety only for distinct encoders"},
	{"encoding/gob", "Decoder", "the doc promises safety only for distinct decoders"},
	{"encoding/xml", "Encoder", "shares an output buffer"},
	{"encoding/xml", "Decoder", "shares an input buffer and a name stack"},
	{"encoding/csv", "Reader", "shares a record buffer"},
	{"encoding/csv", "Writer", "wraps a bufio.Writer"},
}

// typeJudge answers the two type questions of the pass, with memos so that
// recursive types are walked once and safely.
type typeJudge struct {
	api     *asyncapi.API
	noSend  []string // configured extra NoSend type names
	unsafe  []string // table and configured unsafe type names, "path.Name"
	hash    *types.Interface
	noSendM typeutil.Map // types.Type -> the NoSend type found, or false
	unsafeM typeutil.Map // types.Type -> bool
}

func newTypeJudge(api *asyncapi.API, pkg *types.Package, cfg *config.Config) *typeJudge {
	j := &typeJudge{api: api}
	for _, u := range unsafeStd {
		j.unsafe = append(j.unsafe, u.path+"."+u.name)
	}
	for _, tr := range cfg.Sendcheck.NoSend {
		j.noSend = append(j.noSend, tr.Type)
	}
	for _, tr := range cfg.Sendcheck.Unsafe {
		j.unsafe = append(j.unsafe, tr.Type)
	}
	if hp := asyncapi.FindImport(pkg, "hash"); hp != nil {
		if tn, ok := hp.Scope().Lookup("Hash").(*types.TypeName); ok {
			j.hash, _ = tn.Type().Underlying().(*types.Interface)
		}
	}
	return j
}

// noSendIn returns the NoSend type (runtime.NoSend or a configured one) that
// t contains by embedding, fields, pointers, arrays, slices or map keys and
// values, or nil. Type parameters are never judged (clippy #6947: a generic
// function is not wrong for instantiations it does not see); interfaces,
// functions and channels do not contain their dynamic contents.
func (j *typeJudge) noSendIn(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	if v := j.noSendM.At(t); v != nil {
		r, _ := v.(types.Type)
		return r
	}
	j.noSendM.Set(t, false) // in progress: a cycle contains nothing new
	r := j.walkNoSend(t)
	if r != nil {
		j.noSendM.Set(t, r)
	}
	return r
}

func (j *typeJudge) walkNoSend(t types.Type) types.Type {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if j.api.IsNoSend(t) || slices.Contains(j.noSend, config.TypeName(t)) {
			return t
		}
		return j.noSendIn(t.Underlying())
	case *types.Pointer:
		return j.noSendIn(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if r := j.noSendIn(t.Field(i).Type()); r != nil {
				return r
			}
		}
	case *types.Array:
		return j.noSendIn(t.Elem())
	case *types.Slice:
		return j.noSendIn(t.Elem())
	case *types.Map:
		if r := j.noSendIn(t.Key()); r != nil {
			return r
		}
		return j.noSendIn(t.Elem())
	}
	return nil
}

// isUnsafe reports whether values of type t (or of the type t points to) are
// not safe for concurrent use: a table type, a configured type, or anything
// implementing hash.Hash. Type parameters are never judged.
func (j *typeJudge) isUnsafe(t types.Type) bool {
	if v := j.unsafeM.At(t); v != nil {
		return v.(bool)
	}
	r := j.judgeUnsafe(t)
	j.unsafeM.Set(t, r)
	return r
}

func (j *typeJudge) judgeUnsafe(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	switch t.(type) {
	case *types.TypeParam:
		return false
	case *types.Named:
		if slices.Contains(j.unsafe, config.TypeName(t)) {
			return true
		}
	}
	return j.hash != nil && (types.Implements(t, j.hash) || types.Implements(types.NewPointer(t), j.hash))
}

func isTypeParam(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.TypeParam)
	return ok
}

package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// TestCaseListJSON holds writeCaseList's hand-written JSON to what
// encoding/json writes for the same list: with every field empty, with
// every field set (filled by reflection, so that a field added to
// caseJSON and not to appendCaseJSON fails here), and with strings that
// need escaping.
func TestCaseListJSON(t *testing.T) {
	odd := []string{"执2021鲁0102执123号", `a"b\c`, "<b>&amp;</b>", "tab\there\nline\r\b\f\x00\x1f\x7f",
		"\u2028\u2029", "bad \xff\xfe utf8 \xe6\x89", "", "张伟"}
	var lists [][]caseJSON
	lists = append(lists, nil, []caseJSON{{}})
	for i, s := range odd {
		var j caseJSON
		fill(reflect.ValueOf(&j).Elem(), s, i)
		lists = append(lists, []caseJSON{j, {CaseNo: s}})
	}
	for i, cases := range lists {
		for _, next := range []string{"", odd[i%len(odd)]} {
			for _, capped := range []bool{false, true} {
				want := encodingJSON(t, cases, next, 10001, capped)
				got := appendCaseList(nil, cases, next, 10001, capped)
				if !bytes.Equal(got, want) {
					t.Errorf("list %d, next %q, capped %v:\n got %s\nwant %s", i, next, capped, got, want)
				}
			}
		}
	}
}

// encodingJSON is what listCases wrote before appendCaseList.
func encodingJSON(t *testing.T, cases []caseJSON, next string, total int, capped bool) []byte {
	t.Helper()
	out := struct {
		Cases       []caseJSON `json:"cases"`
		Next        string     `json:"next,omitempty"`
		Total       int        `json:"total"`
		TotalCapped bool       `json:"total_capped,omitempty"`
	}{Cases: []caseJSON{}, Next: next, Total: total, TotalCapped: capped}
	out.Cases = append(out.Cases, cases...)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fill sets every field of v, nested slices given two elements: strings
// to s, bools to true, dates to a day that varies with n.
func fill(v reflect.Value, s string, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), s+"x", n+i)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[domain.Date]() {
			v.Set(reflect.ValueOf(domain.MustDate("2026-01-01").AddDays(n)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), s, n+i)
		}
	default:
		panic("fill: a field of kind " + v.Kind().String())
	}
}

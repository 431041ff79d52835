package api

import (
	"net/http"
	"strconv"
	"unicode/utf8"
)

// writeCaseList writes GET /api/v1/cases' answer with the bytes
// encoding/json gives it (json.Encoder, HTML left unescaped, a newline
// after), written by hand: the reflection of encoding/json over a page of
// 50 cases was 130 µs of the endpoint's 2.3 ms of CPU a request, its
// largest part after the SQL (pprof, zhilian bench at 100,000 cases).
// TestCaseListJSON holds the two to the same bytes, field by field.
func writeCaseList(w http.ResponseWriter, cases []caseJSON, next string, total int, capped bool) {
	b := make([]byte, 0, 512+len(cases)*400)
	b = appendCaseList(b, cases, next, total, capped)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b) //nolint:gosec // JSON, not HTML: every string is quoted by appendJSONString
}

func appendCaseList(b []byte, cases []caseJSON, next string, total int, capped bool) []byte {
	b = append(b, `{"cases":[`...)
	for i := range cases {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCaseJSON(b, &cases[i])
	}
	b = append(b, ']')
	if next != "" {
		b = append(b, `,"next":`...)
		b = appendJSONString(b, next, false)
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	if capped {
		b = append(b, `,"total_capped":true`...)
	}
	return append(b, "}\n"...)
}

// appendCaseJSON appends j as encoding/json writes a caseJSON: its
// fields in order, the omitempty and omitzero ones left out as it leaves
// them out.
func appendCaseJSON(b []byte, j *caseJSON) []byte {
	b = append(b, `{"case_no":`...)
	b = appendJSONString(b, j.CaseNo, false)
	b = appendOmitString(b, `,"court":`, j.Court)
	b = append(b, `,"filed_on":"`...)
	b = append(j.FiledOn.Append(b), '"')
	b = appendOmitString(b, `,"officer":`, j.Officer)
	b = appendOmitString(b, `,"department":`, j.Department)
	if j.Amount != "" {
		// amountJSON marshals itself with json.Marshal, which escapes
		// HTML; the encoder keeps its escapes.
		b = append(b, `,"amount":`...)
		b = appendJSONString(b, string(j.Amount), true)
	}
	if j.HasProperty != nil {
		b = append(b, `,"has_property":`...)
		b = strconv.AppendBool(b, *j.HasProperty)
	}
	b = appendOmitBool(b, `,"non_litigation":true`, j.NonLitigation)
	if !j.ClosedOn.IsZero() {
		b = append(b, `,"closed_on":"`...)
		b = append(j.ClosedOn.Append(b), '"')
	}
	b = appendOmitString(b, `,"closing_mode":`, j.ClosingMode)
	b = appendOmitBool(b, `,"petition":true`, j.Petition)
	b = appendOmitString(b, `,"supervised_by":`, j.SupervisedBy)
	if !j.SupervisedSince.IsZero() {
		b = append(b, `,"supervised_since":"`...)
		b = append(j.SupervisedSince.Append(b), '"')
	}
	b = appendOmitBool(b, `,"public_opinion":true`, j.PublicOpinion)
	b = appendOmitBool(b, `,"social_impact":true`, j.SocialImpact)
	if !j.DueOn.IsZero() {
		b = append(b, `,"due_on":"`...)
		b = append(j.DueOn.Append(b), '"')
	}
	b = appendOmitBool(b, `,"clock_stopped":true`, j.ClockStopped)
	b = appendOmitBool(b, `,"overdue":true`, j.Overdue)
	if len(j.Parties) > 0 {
		b = append(b, `,"parties":[`...)
		for i, p := range j.Parties {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"role":`...)
			b = appendJSONString(b, string(p.Role), false)
			b = append(b, `,"name":`...)
			b = appendJSONString(b, p.Name, false)
			b = appendOmitBool(b, `,"org":true`, p.Org)
			b = appendOmitString(b, `,"phone":`, p.Phone)
			b = appendOmitString(b, `,"phone_masked":`, p.PhoneMasked)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(j.Nodes) > 0 {
		b = append(b, `,"nodes":[`...)
		for i, n := range j.Nodes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"kind":`...)
			b = appendJSONString(b, string(n.Kind), false)
			b = append(b, `,"on":"`...)
			b = append(n.On.Append(b), '"')
			b = appendOmitString(b, `,"note":`, n.Note)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(j.Actions) > 0 {
		b = append(b, `,"actions":[`...)
		for i, a := range j.Actions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"kind":`...)
			b = appendJSONString(b, a.Kind, false)
			b = append(b, `,"on":"`...)
			b = append(a.On.Append(b), '"')
			if a.Amount != "" {
				b = append(b, `,"amount":`...)
				b = appendJSONString(b, string(a.Amount), true)
			}
			b = appendOmitString(b, `,"note":`, a.Note)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendOmitString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s, false)
}

func appendOmitBool(b []byte, keyTrue string, v bool) []byte {
	if !v {
		return b
	}
	return append(b, keyTrue...)
}

// appendJSONString appends s quoted as encoding/json quotes a string:
// \b \f \n \r \t and the other control bytes escaped, invalid UTF-8 as
// U+FFFD, U+2028 and U+2029 escaped, and <, > and & escaped only when
// html is set.
func appendJSONString(b []byte, s string, html bool) []byte {
	if plainJSON(s, html) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainJSON reports whether s is written between quotes as it is: valid
// UTF-8 with nothing appendJSONString escapes, as nearly every name and
// number is. Checking first spares decoding each rune of Chinese text.
func plainJSON(s string, html bool) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == '"' || c == '\\':
			return false
		case html && (c == '<' || c == '>' || c == '&'):
			return false
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			return false
		}
	}
	return utf8.ValidString(s)
}

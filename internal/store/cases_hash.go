package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
)

// sourceHash fingerprints what the case system supplies about a case, so
// that importing the same data twice is recognised as no change. The
// fingerprint is stored: it is the SHA-256 of the JSON that encoding/json
// makes of
//
//	struct {
//		Number, Filed, Officer, Dept       string
//		Amount                             int64
//		HasProperty, PropertyKnown, NonLit bool
//		Closed, Mode                       string
//		Petition                           bool
//		SupBy, SupSince                    string
//		Opinion, Impact                    bool
//		Parties []struct{ Role domain.PartyRole; Org bool; Name, Phone string }
//		Nodes   []struct{ Kind domain.NodeKind; On, Note string }
//	}
//
// (dates as YYYY-MM-DD, no parties or nodes as null), written here byte
// for byte without reflection: json.Marshal was a third of the hash's
// cost and its allocations (pprof of an import). TestSourceHashIsJSON
// holds the two to the same bytes.
func sourceHash(c *domain.Case) string {
	var stack [768]byte
	b := append(stack[:0], `{"Number":`...)
	b = appendJSONString(b, c.Number)
	b = append(b, `,"Filed":"`...)
	b = append(c.FiledOn.Append(b), `","Officer":`...)
	b = appendJSONString(b, c.Officer)
	b = append(b, `,"Dept":`...)
	b = appendJSONString(b, c.Department)
	b = append(b, `,"Amount":`...)
	b = strconv.AppendInt(b, c.Amount, 10)
	b = appendJSONBool(append(b, `,"HasProperty":`...), c.HasProperty)
	b = appendJSONBool(append(b, `,"PropertyKnown":`...), c.PropertyKnown)
	b = appendJSONBool(append(b, `,"NonLit":`...), c.NonLitigation)
	b = append(b, `,"Closed":"`...)
	b = append(c.ClosedOn.Append(b), `","Mode":`...)
	b = appendJSONString(b, c.ClosingMode)
	b = appendJSONBool(append(b, `,"Petition":`...), c.Petition)
	b = append(b, `,"SupBy":`...)
	b = appendJSONString(b, c.SupervisedBy)
	b = append(b, `,"SupSince":"`...)
	b = append(c.SupervisedSince.Append(b), `","Opinion":`...)
	b = appendJSONBool(b, c.PublicOpinion)
	b = appendJSONBool(append(b, `,"Impact":`...), c.SocialImpact)
	b = append(b, `,"Parties":`...)
	if len(c.Parties) == 0 {
		b = append(b, "null"...)
	}
	for i, p := range c.Parties {
		b = append(b, sep(i))
		b = append(b, `{"Role":`...)
		b = appendJSONString(b, string(p.Role))
		b = appendJSONBool(append(b, `,"Org":`...), p.Org)
		b = append(b, `,"Name":`...)
		b = appendJSONString(b, p.Name)
		b = append(b, `,"Phone":`...)
		b = append(appendJSONString(b, p.Phone), '}')
		if i == len(c.Parties)-1 {
			b = append(b, ']')
		}
	}
	b = append(b, `,"Nodes":`...)
	if len(c.Nodes) == 0 {
		b = append(b, "null"...)
	}
	for i, n := range c.Nodes {
		b = append(b, sep(i))
		b = append(b, `{"Kind":`...)
		b = appendJSONString(b, string(n.Kind))
		b = append(b, `,"On":"`...)
		b = append(n.On.Append(b), `","Note":`...)
		b = append(appendJSONString(b, n.Note), '}')
		if i == len(c.Nodes)-1 {
			b = append(b, ']')
		}
	}
	b = append(b, '}')
	h := sha256.Sum256(b)
	var digits [2 * sha256.Size]byte
	hex.Encode(digits[:], h[:])
	return string(digits[:])
}

// sep opens a JSON array at its first element and separates the others.
func sep(i int) byte {
	if i == 0 {
		return '['
	}
	return ','
}

func appendJSONBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendJSONString appends s quoted as encoding/json quotes it. A string
// it would write unchanged (printable ASCII other than " \ < > &, and
// valid UTF-8 other than U+2028 and U+2029) is copied; any other is left
// to encoding/json itself, so that its escapes are never copied wrong.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

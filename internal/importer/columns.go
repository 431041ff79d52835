package importer

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// field is a standard column the importer understands.
type field int

const (
	fCaseNo field = iota
	fFiledOn
	fOfficer
	fDepartment
	fAmount
	fHasProperty
	fNonLitigation
	fClosedOn
	fClosingMode
	fApplicant
	fApplicantPhone
	fRespondent
	fRespondentPhone
	fPetition
	fSupervisedBy
	fSupervisedSince
	fPublicOpinion
	fSocialImpact
	numFields
)

// columns lists each standard column name first, then the synonyms that
// case management systems and clerks use for it. Names are compared after
// normalizeHeader, so spaces, a required-column star and full-width
// brackets do not matter, and a trailing unit such as （元） or （万元） is
// read separately.
var columns = [numFields][]string{
	fCaseNo:          {"案号", "执行案号", "案件号", "案件字号"},
	fFiledOn:         {"立案日期", "立案时间", "收案日期", "收案时间", "立案日"},
	fOfficer:         {"承办人", "承办法官", "承办人员", "承办人姓名", "执行法官", "执行员", "主办人", "经办人"},
	fDepartment:      {"承办部门", "承办庭室", "承办庭", "庭室", "部门", "执行部门"},
	fAmount:          {"执行标的金额", "执行标的", "执行标的额", "标的金额", "标的额", "申请执行标的", "申请执行标的额", "申请执行金额", "执行金额"},
	fHasProperty:     {"有无财产可供执行", "有财产可供执行", "有无可供执行财产", "是否有财产可供执行", "是否有可供执行财产", "有无财产"},
	fNonLitigation:   {"是否非诉", "非诉执行", "是否非诉执行", "非诉", "非诉案件"},
	fClosedOn:        {"结案日期", "结案时间", "结案日"},
	fClosingMode:     {"结案方式", "结案类型", "结案方式名称"},
	fApplicant:       {"申请执行人", "申请执行人名称", "申请执行人姓名", "申请人"},
	fApplicantPhone:  {"申请执行人电话", "申请执行人联系电话", "申请执行人手机", "申请执行人手机号", "申请人电话", "申请人联系电话"},
	fRespondent:      {"被执行人", "被执行人名称", "被执行人姓名", "被申请执行人"},
	fRespondentPhone: {"被执行人电话", "被执行人联系电话", "被执行人手机", "被执行人手机号", "被申请执行人电话"},
	fPetition:        {"是否信访", "信访", "信访案件", "是否信访案件", "涉信访"},
	fSupervisedBy:    {"督办法院", "督办单位", "挂牌督办法院"},
	fSupervisedSince: {"督办日期", "督办时间"},
	fPublicOpinion:   {"可能引发舆情", "舆情", "是否舆情", "涉舆情", "是否可能引发舆情"},
	fSocialImpact:    {"较大社会影响", "社会影响", "是否有较大社会影响", "有较大社会影响"},
}

// requiredFields must be in every file.
var requiredFields = []field{fCaseNo}

func (f field) String() string { return columns[f][0] }

// StandardColumns returns the standard column names, in the order of a
// full export, for the upload page and for mapping files.
func StandardColumns() []string {
	out := make([]string, numFields)
	for f := range numFields {
		out[f] = f.String()
	}
	return out
}

// lookupStandard finds the field whose standard name or synonym is name,
// which must already be normalised.
func lookupStandard(name string) (field, bool) {
	for f, names := range columns {
		for _, n := range names {
			if n == name {
				return field(f), true
			}
		}
	}
	return 0, false
}

// normalizeHeader folds a column name for comparison: full-width forms to
// narrow, no spaces, invisible characters or required-column stars. It
// also returns the name without a trailing bracketed unit, and the amount
// multiplier that unit implies (10000 for 万元).
func normalizeHeader(s string) (full, bare string, unit int64) {
	var b strings.Builder
	for _, r := range s {
		if f := width.LookupRune(r).Folded(); f != 0 {
			r = f
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == '*' || r == '\ufeff' {
			continue
		}
		b.WriteRune(r)
	}
	full = b.String()
	bare, unit = full, 1
	if strings.HasSuffix(full, ")") {
		if i := strings.LastIndexByte(full, '('); i > 0 {
			bare = full[:i]
			switch u := full[i+1 : len(full)-1]; {
			case strings.Contains(u, "亿"):
				unit = 100_000_000
			case strings.Contains(u, "万"):
				unit = 10_000
			}
		}
	}
	return full, bare, unit
}

// columnSet says where each field is in a row.
type columnSet struct {
	index  [numFields]int    // position in the row, -1 if absent
	header [numFields]string // the column name as the file writes it
	unit   [numFields]int64  // amount multiplier from the header
	width  int               // cells in the header row
}

// resolveHeader matches a header row against the mapping and the standard
// names. found counts the recognised columns; an error is returned for a
// column that appears twice.
func resolveHeader(row []string, mapping map[string]field) (cs columnSet, found int, err error) {
	for f := range cs.index {
		cs.index[f] = -1
	}
	cs.width = len(row)
	for i, cell := range row {
		full, bare, unit := normalizeHeader(cell)
		if full == "" {
			continue
		}
		f, ok := mapping[full]
		if !ok {
			f, ok = lookupStandard(full)
		}
		if !ok && bare != full {
			if f, ok = mapping[bare]; !ok {
				f, ok = lookupStandard(bare)
			}
		}
		if !ok {
			continue
		}
		if j := cs.index[f]; j >= 0 {
			return cs, found, fileErr(ErrColumns, nil, fmt.Sprintf("表头中“%s”和“%s”都表示%s，请删除其中一列或修改映射", strings.TrimSpace(row[j]), strings.TrimSpace(cell), f))
		}
		cs.index[f] = i
		cs.header[f] = strings.TrimSpace(cell)
		cs.unit[f] = unit
		found++
	}
	return cs, found, nil
}

// missing returns the required fields the header lacks.
func (cs *columnSet) missing() []string {
	var out []string
	for _, f := range requiredFields {
		if cs.index[f] < 0 {
			out = append(out, f.String())
		}
	}
	return out
}

// present returns the standard names of the columns found, in file order.
func (cs *columnSet) present() []string {
	byPos := make(map[int]string)
	for f, i := range cs.index {
		if i >= 0 {
			byPos[i] = field(f).String()
		}
	}
	out := make([]string, 0, len(byPos))
	for i := range cs.width {
		if n, ok := byPos[i]; ok {
			out = append(out, n)
		}
	}
	return out
}

// compileMapping checks a caller's mapping (source name → standard name or
// synonym) and keys it by normalised source name.
func compileMapping(m map[string]string) (map[string]field, error) {
	out := make(map[string]field, len(m))
	for from, to := range m {
		src, _, _ := normalizeHeader(from)
		dst, _, _ := normalizeHeader(to)
		f, ok := lookupStandard(dst)
		if !ok {
			return nil, fileErr(ErrColumns, nil, fmt.Sprintf("列名映射“%s→%s”中的“%s”不是标准列名（标准列名有：%s）", from, to, to, strings.Join(StandardColumns(), "、")))
		}
		if src != "" {
			out[src] = f
		}
	}
	return out, nil
}

package visit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// DrawMethod names the selection rule below; a batch stores it so that a
// future rule cannot be confused with this one.
const DrawMethod = "hmac-sha256-v1"

// DrawRuleText states the rule of Draw, PopulationHash and SeedCommitment in
// Chinese for the page that shows watchdog users how to check a batch.
const DrawRuleText = `抽取规则（` + DrawMethod + `），任何人均可据此独立复核：
1. 案件总体：该法院该月（按结案日期）执结的全部执行实施案件的案号（去重），按登记的原样、以 UTF-8 编码计算。
   计入的案件类型和计入执结的结案方式载于批次记录；其他案件列为排除并注明理由。当事人没有可用手机号码的案件仍在总体中，
   入选后转电话回访。结案信息在该月抽取后才录入的案件，另行补充抽取，规则相同。
2. 总体哈希：将案号按 UTF-8 字节顺序排序，以换行符（\n）连接，末尾不加换行，计算 SHA-256，以小写十六进制表示。
   命令行示例（每行一个案号）：printf '%s' "$(LC_ALL=C sort -u cases.txt)" | sha256sum
3. 随机种子：抽取时由系统随机生成的 32 字节数值（以 64 位十六进制公布）。抽取前先登记其 SHA-256（种子承诺），
   事后任何人都可核对公布的种子与承诺一致，种子无法在看到抽取结果后更换。
4. 排序值：对每个案号，以种子字节为密钥、案号的 UTF-8 字节为消息计算 HMAC-SHA256，以小写十六进制表示。
   命令行示例：printf '%s' '（2021）鲁0102执123号' | openssl dgst -sha256 -mac HMAC -macopt hexkey:种子十六进制
5. 入选：按排序值从小到大排列（排序值相同时按案号字节顺序），取前 n 件。
   n = 案件数 × 抽取比例，按规定方式取整（默认向上取整），有案件时至少 1 件，且不超过案件数。`

// DrawRule says which cases a month's draw is made from and how many it
// takes.
type DrawRule struct {
	Rate     float64 // share of the population, 0 < Rate ≤ 1; 0.05 by default
	Rounding string  // "ceil" (default when empty), "round" (half up) or "floor"
	MinOne   bool    // at least one case when the population has any
	// CaseTypes are the 执行实施 case types drawn (the seed draws 执结的执行实施
	// 案件): 执 and 执恢 by default.
	CaseTypes []string
	// ClosingModes are the closing modes that count as 执结: by default
	// every mode 法发〔2014〕26号 gives 执行实施 cases.
	ClosingModes []string
}

// DefaultCaseTypes are the 执行实施 case types the draw takes by default.
var DefaultCaseTypes = []string{"执", "执恢"}

// DefaultClosingModes are the closing modes of 执行实施 cases in
// 《最高人民法院关于执行案件立案、结案若干问题的意见》（法发〔2014〕26号）.
var DefaultClosingModes = []string{"执行完毕", "终结本次执行程序", "终结执行", "销案", "不予执行", "驳回申请"}

// Batch kinds: the month's first draw, and the supplementary draws over
// cases whose closing reached the system after it.
const (
	BatchDaily      = "daily"
	BatchSupplement = "supplement"
)

// BatchKindLabel names a batch kind in Chinese.
func BatchKindLabel(kind string) string {
	if kind == BatchSupplement {
		return "补充抽取"
	}
	return "月度抽取"
}

// IsZero reports whether r is the zero rule, to be replaced by the default.
func (r DrawRule) IsZero() bool {
	return r.Rate == 0 && r.Rounding == "" && !r.MinOne && len(r.CaseTypes) == 0 && len(r.ClosingModes) == 0
}

// Exclusion returns why a case closed in the month is not in the draw's
// population, in Chinese, or "" when it is. A rule without case types or
// closing modes (a batch drawn before they were recorded) excludes nothing
// by them.
func (r DrawRule) Exclusion(caseType, closingMode string) string {
	switch {
	case len(r.CaseTypes) > 0 && !slices.Contains(r.CaseTypes, caseType):
		return "非执行实施案件（" + caseType + "）"
	case len(r.ClosingModes) > 0 && closingMode == "":
		return "未登记结案方式"
	case len(r.ClosingModes) > 0 && !slices.Contains(r.ClosingModes, closingMode):
		return "结案方式“" + closingMode + "”不计为执结"
	}
	return ""
}

// DrawableMonth reports whether month (YYYY-MM) may be drawn on today (a
// Beijing date): only a finished month, so that a draw never freezes part
// of a month.
func DrawableMonth(month string, today domain.Date) error {
	from, _, err := domain.ParseMonth(month)
	if err != nil {
		return err
	}
	if !from.Before(domain.NewDate(today.Year(), today.Month(), 1)) {
		return domain.Invalid("month", fmt.Sprintf("只能抽取已经结束的月份；%s 尚未结束", month))
	}
	return nil
}

// Rounding modes of DrawRule.
const (
	RoundCeil  = "ceil"
	RoundRound = "round"
	RoundFloor = "floor"
)

// DefaultDrawRule is the seed's rule: 5% of the 执结 执行实施 cases,
// rounded up, at least one.
func DefaultDrawRule() DrawRule {
	return DrawRule{Rate: 0.05, Rounding: RoundCeil, MinOne: true, CaseTypes: slices.Clone(DefaultCaseTypes), ClosingModes: slices.Clone(DefaultClosingModes)}
}

// Validate reports whether the rule can be used.
func (r DrawRule) Validate() error {
	if math.IsNaN(r.Rate) || r.Rate <= 0 || r.Rate > 1 {
		return domain.Invalid("rate", "抽取比例必须大于 0 且不超过 100%")
	}
	switch r.Rounding {
	case "", RoundCeil, RoundRound, RoundFloor:
	default:
		return domain.Invalid("rounding", "取整方式只能是 ceil、round 或 floor")
	}
	if len(r.CaseTypes) == 0 || slices.Contains(r.CaseTypes, "") {
		return domain.Invalid("case_types", "请列出抽取的执行实施案件类型，如 执、执恢")
	}
	if len(r.ClosingModes) == 0 || slices.Contains(r.ClosingModes, "") {
		return domain.Invalid("closing_modes", "请列出计为执结的结案方式")
	}
	return nil
}

// SampleSize returns how many of population cases the rule draws:
// population × Rate computed exactly in decimal (Rate as written, so 5% of
// 100 is exactly 5, not 5.000000000000001), rounded as the rule says ("round"
// rounds halves up), raised to 1 if MinOne and population > 0, and never more
// than population. A rate outside (0, 1] is clamped into [0, 1]; validate
// configured rules with Validate.
func SampleSize(population int, rule DrawRule) int {
	if population <= 0 {
		return 0
	}
	rate := rule.Rate
	switch {
	case math.IsNaN(rate) || rate < 0:
		rate = 0
	case rate > 1:
		rate = 1
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(rate, 'f', -1, 64))
	if !ok {
		r = new(big.Rat)
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(population)))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int)) // r ≥ 0: q = floor
	n := q.Int64()
	switch rule.Rounding {
	case RoundFloor:
	case RoundRound:
		if new(big.Int).Mul(m, big.NewInt(2)).Cmp(r.Denom()) >= 0 {
			n++
		}
	default:
		if m.Sign() > 0 {
			n++
		}
	}
	if rule.MinOne && n < 1 {
		n = 1
	}
	return int(min(n, int64(population)))
}

// Draw selects n cases from population by the published rule, so that
// anyone holding the batch record can recompute the selection by hand:
//
//  1. The population is the set of distinct case numbers (案号) the draw is
//     made from, each exactly as stored, as UTF-8 bytes.
//  2. The seed is a random value (32 bytes, shown as 64 hex digits) generated
//     for the batch. Its commitment, the SHA-256 of the seed bytes in lower-case
//     hex, is stored before the draw; anyone can check that the published seed
//     hashes to it, so the seed cannot have been chosen after seeing which cases
//     it would pick.
//  3. For every case number compute HMAC-SHA256 with the seed bytes as key and
//     the case number's UTF-8 bytes as message, written as 64 lower-case hex
//     digits. With OpenSSL:
//     printf '%s' '（2021）鲁0102执123号' | openssl dgst -sha256 -mac HMAC -macopt hexkey:SEED_HEX
//  4. Sort the case numbers by that hex string, ascending; if two were ever
//     equal, the smaller case number (by UTF-8 bytes) comes first.
//  5. The selection is the first n case numbers of that order, where n is the
//     batch's sample size (see SampleSize).
//
// Draw returns the selection in that order. The result does not depend on
// the order of population, and duplicates in it count once.
func Draw(seed []byte, population []string, n int) []string {
	type ranked struct{ key, no string }
	pop := distinctSorted(population)
	rs := make([]ranked, len(pop))
	for i, no := range pop {
		mac := hmac.New(sha256.New, seed)
		mac.Write([]byte(no))
		rs[i] = ranked{hex.EncodeToString(mac.Sum(nil)), no}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.no, b.no)
	})
	n = max(0, min(n, len(rs)))
	out := make([]string, n)
	for i := range n {
		out[i] = rs[i].no
	}
	return out
}

// PopulationHash fingerprints a population: the distinct case numbers sorted
// by their UTF-8 bytes, joined with "\n" (no newline after the last), hashed
// with SHA-256, in lower-case hex. With a shell, one case number per line:
// printf '%s' "$(LC_ALL=C sort -u cases.txt)" | sha256sum
func PopulationHash(population []string) string {
	sum := sha256.Sum256([]byte(strings.Join(distinctSorted(population), "\n")))
	return hex.EncodeToString(sum[:])
}

// SeedCommitment returns the SHA-256 of seed in lower-case hex, stored before
// the draw so that the seed cannot be changed afterwards.
func SeedCommitment(seed []byte) string {
	sum := sha256.Sum256(seed)
	return hex.EncodeToString(sum[:])
}

func distinctSorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

// Mismatch is one way a batch record fails verification.
type Mismatch struct {
	Field   string // "commitment", "population_hash", "count" or "selection"
	Case    string // the case number concerned, for "selection"
	Message string // in Chinese, for users
}

// VerifyError lists every mismatch found; it is an ErrInvalid error.
type VerifyError struct{ Mismatches []Mismatch }

// Error lists the mismatches in Chinese.
func (e *VerifyError) Error() string {
	msgs := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		msgs[i] = m.Message
	}
	return "抽取结果校验未通过：" + strings.Join(msgs, "；")
}

// Unwrap makes errors.Is(err, domain.ErrInvalid) true.
func (e *VerifyError) Unwrap() error { return domain.ErrInvalid }

// Verify recomputes a batch from its record and returns nil only if the seed
// matches its commitment, the population matches its hash, n cases were
// selected and they are exactly the cases Draw picks. Otherwise it returns a
// *VerifyError naming every mismatch. The order of selected does not matter.
func Verify(seed []byte, commitment string, population []string, popHash string, n int, selected []string) error {
	var ms []Mismatch
	if got := SeedCommitment(seed); !strings.EqualFold(got, strings.TrimSpace(commitment)) {
		ms = append(ms, Mismatch{Field: "commitment",
			Message: fmt.Sprintf("随机种子的 SHA-256 为 %s，与抽取前登记的承诺值 %s 不符，种子可能被更换", got, commitment)})
	}
	if got := PopulationHash(population); !strings.EqualFold(got, strings.TrimSpace(popHash)) {
		ms = append(ms, Mismatch{Field: "population_hash",
			Message: fmt.Sprintf("案件总体的哈希为 %s，与登记的 %s 不符，总体名单可能被改动", got, popHash)})
	}
	pop := distinctSorted(population)
	if n < 0 || n > len(pop) {
		ms = append(ms, Mismatch{Field: "count",
			Message: fmt.Sprintf("登记的抽取数量 %d 超出案件总体的 %d 件", n, len(pop))})
	}
	sel := distinctSorted(selected)
	if len(selected) != n || len(sel) != len(selected) {
		ms = append(ms, Mismatch{Field: "count",
			Message: fmt.Sprintf("登记抽取 %d 件，实际入选 %d 件（不重复 %d 件）", n, len(selected), len(sel))})
	}
	want := Draw(seed, population, n)
	for _, no := range sel {
		if !slices.Contains(want, no) {
			ms = append(ms, Mismatch{Field: "selection", Case: no,
				Message: fmt.Sprintf("案号 %s 按规则不应入选", no)})
		}
	}
	for _, no := range want {
		if !slices.Contains(sel, no) {
			ms = append(ms, Mismatch{Field: "selection", Case: no,
				Message: fmt.Sprintf("案号 %s 按规则应当入选，但不在入选名单中", no)})
		}
	}
	if len(ms) > 0 {
		return &VerifyError{Mismatches: ms}
	}
	return nil
}

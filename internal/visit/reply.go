package visit

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ReplyKind is what an SMS reply to the satisfaction question means.
type ReplyKind string

// Reply kinds. The names are stored and never change.
const (
	ReplySatisfied    ReplyKind = "satisfied"    // 满意: the visit ends
	ReplyDissatisfied ReplyKind = "dissatisfied" // 不满意: phone visit
	ReplyDontKnow     ReplyKind = "dont_know"    // 不知道: phone visit
	ReplyUnclear      ReplyKind = "unclear"      // asked once more
)

// Label returns the Chinese name of the kind.
func (k ReplyKind) Label() string {
	switch k {
	case ReplySatisfied:
		return "满意"
	case ReplyDissatisfied:
		return "不满意"
	case ReplyDontKnow:
		return "不知道"
	case ReplyUnclear:
		return "无法识别"
	}
	return string(k)
}

// Reply is a parsed SMS reply. Text is always the verbatim message.
type Reply struct {
	Kind ReplyKind
	// Hedged marks a lukewarm or qualified reply (还行, 一般, 基本满意,
	// 满意但是…): routed as 不满意 so that a person calls, and flagged so that
	// statistics can tell it from a plain 不满意.
	Hedged bool
	// OptOut marks a request to stop SMS (TD, 退订); Kind is then Unclear and
	// the visit goes to the phone instead of asking again.
	OptOut bool
	Text   string
}

// ParseSatisfaction reads a reply to 案件是否执行完毕，对案件执行过程是否满意
// (reply 1 满意 / 2 不满意) and reports whether it was understood.
//
// The mapping is conservative, because the seed ends the visit only on 满意
// and a wrong 满意 would bury a complaint: only a clear 满意 (1, 满意, 很满意,
// 非常满意, 满意了, 比较满意 …, with greetings, thanks, punctuation, emoji,
// full-width forms and 【】 tags ignored) is Satisfied. Anything negative
// anywhere in the text (不满意, 不太满意, 差, 投诉, 没拿到钱, 未执行完毕 …) is
// Dissatisfied; 不知道, 不清楚, 没听说, 什么案子 … are DontKnow; lukewarm or
// qualified replies (还行, 还可以, 一般, 凑合, 基本满意, 还算满意, 满意但是…)
// are Dissatisfied with Hedged set. Both of those go to the phone visit.
// A reply that starts with 2 and goes on to explain is Dissatisfied.
// Everything else — including 好, 可以, OK, 👍, 3, 12 — is Unclear and is
// asked once more.
func ParseSatisfaction(s string) (Reply, bool) {
	r := Reply{Kind: ReplyUnclear, Text: s}
	full := replyCore(s)
	if full == "" {
		return r, false
	}
	if containsAny(full, negativeMarkers) {
		r.Kind = ReplyDissatisfied
		return r, true
	}
	c := stripFillers(full, replyPrefixes, replySuffixes)
	c = collapseRepeat(c)
	switch {
	case slices.Contains(satisfiedWords, c):
		r.Kind = ReplySatisfied
	case slices.Contains(dissatisfiedWords, c):
		r.Kind = ReplyDissatisfied
	case slices.Contains(optOutWords, c):
		r.OptOut = true
		return r, false
	case choseTwo(c):
		r.Kind = ReplyDissatisfied
	case containsAny(c, dontKnowMarkers):
		r.Kind = ReplyDontKnow
	case containsAny(c, hedgeMarkers),
		strings.Contains(c, "满意") && containsAny(c, contrastMarkers):
		r.Kind, r.Hedged = ReplyDissatisfied, true
	default:
		return r, false
	}
	return r, true
}

// choseTwo reports whether c is the answer 2 followed by an explanation
// ("2 执行人员态度生硬"), not a date or an amount ("2月", "2万").
func choseTwo(c string) bool {
	rest, ok := strings.CutPrefix(c, "2")
	if !ok || rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsDigit(r) && !strings.ContainsRune("月号日点天年万千百元块个次", r)
}

// Negative wording anywhere in a reply makes it Dissatisfied, whatever else
// it says: a party who writes 满意，就是钱还没拿到 wants a call.
var negativeMarkers = []string{
	"不满", "不太满意", "不是很满意", "不是太满意", "不大满意", "不怎么满意", "不够满意",
	"不咋满意", "不十分满意", "没满意", "没有满意", "不满足",
	"差评", "很差", "太差", "极差", "真差", "差劲", "失望", "投诉", "举报", "信访", "上访",
	"拖延", "拖拉", "不作为", "消极执行", "乱作为", "腐败", "索要", "吃拿卡要", "不廉", "刁难",
	"态度差", "态度不好", "太慢", "很慢", "慢死",
	"没执行", "没有执行", "未执行", "没拿到", "没有拿到", "未拿到", "没收到", "没有收到", "未收到",
	"没到账", "未到账", "没给钱", "没有给钱", "不公", "没结", "未结", "没有结",
}

// A reply is Satisfied only if, once fillers are stripped, it is one of these.
var satisfiedWords = []string{"满意", "1", "1满意", "满意1"}

// Whole replies that are negative but too short to search for in longer text
// (不好 is also the start of 不好意思).
var dissatisfiedWords = []string{"2", "2不满意", "差", "不好", "不行", "不认可", "不同意", "有意见", "不满意"}

var dontKnowMarkers = []string{
	"不知道", "不清楚", "不太清楚", "不大清楚", "不太了解", "不了解", "不晓得", "不知情", "不知", "没听说", "没有听说", "不记得", "忘了", "忘记",
	"没印象", "没有印象", "什么案", "啥案", "哪个案", "不明白", "不懂", "说不清", "说不好", "搞不清",
}

var hedgeMarkers = []string{
	"还行", "还可以", "一般", "凑合", "马马虎虎", "基本满意", "基本上满意", "还算满意", "勉强",
	"过得去", "差不多", "将就", "还好", "说得过去",
}

var contrastMarkers = []string{"但", "可是", "不过", "就是", "只是", "希望", "建议", "要是", "如果"}

var optOutWords = []string{"td", "t", "退订", "tdd", "拒收", "别发了", "不要再发了", "不要发了"}

// Greetings, acknowledgements, intensifiers and restatements of the question
// that carry no answer. Longer entries come first so that they win.
var replyPrefixes = []string{
	"我的回复是", "我的答复是", "案件已经执行完毕", "案件已执行完毕", "案件执行完毕", "已经执行完毕",
	"已执行完毕", "执行完毕", "执行完了", "已经执结", "已执结", "已经结案", "已结案", "结案了",
	"对案件执行过程", "对执行过程", "对执行结果", "对执行工作", "对法院工作", "对你们的工作",
	"对法官", "对法院", "对你们", "对执行", "对结果", "对工作", "总的来说", "总体上", "总体",
	"整体", "法官您好", "法官你好", "您好", "你好", "法官", "嗯嗯", "嗯", "哦", "噢", "好的",
	"收到", "回复", "答复", "我选", "选择", "选", "本人", "我们", "我", "是的", "对于", "对",
	"目前", "现在", "已经", "非常非常", "非常", "十分", "特别", "比较", "相当", "超级", "真的",
	"还是", "很", "挺", "蛮", "太", "超", "真", "都", "也", "是",
}

var replySuffixes = []string{
	"给你们点赞", "谢谢你们", "谢谢法官", "谢谢法院", "感谢法官", "感谢法院", "感谢你们", "谢谢您",
	"谢谢你", "谢谢啦", "谢谢", "多谢", "谢了", "感谢", "法官辛苦了", "辛苦了", "辛苦", "点赞",
	"很不错", "挺不错", "不错", "非常好", "很好", "挺好", "没有意见", "没意见", "没问题", "哈哈", "呵呵", "了", "的", "啊", "呀", "哈", "呢", "吧", "哦", "啦", "嗯", "噢",
}

// replyCore folds s to its letters and digits: NFKC (full-width digits and
// letters become ASCII, ① becomes 1), lower case, 【…】 tags removed unless
// they are all there is, everything but letters and digits dropped.
func replyCore(s string) string {
	s = foldText(s)
	if c := lettersDigits(removeTags(s)); c != "" {
		return c
	}
	return lettersDigits(s)
}

func foldText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.TrimSpace(s)
	return strings.ToLower(norm.NFKC.String(s))
}

// removeTags drops every 【…】 segment, e.g. the 【XX法院】 of a quoted message.
func removeTags(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '【':
			depth++
		case r == '】' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func lettersDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// stripFillers removes the listed prefixes and suffixes until none is left.
func stripFillers(s string, prefixes, suffixes []string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range prefixes {
			if t, ok := strings.CutPrefix(s, p); ok {
				s, changed = t, true
				break
			}
		}
		for _, p := range suffixes {
			if t, ok := strings.CutSuffix(s, p); ok {
				s, changed = t, true
				break
			}
		}
	}
	return s
}

// collapseRepeat turns 满意满意满意 into 满意 and 11 into 1.
func collapseRepeat(s string) string {
	n := utf8.RuneCountInString(s)
	rs := []rune(s)
	for size := 1; size <= n/2; size++ {
		if n%size != 0 {
			continue
		}
		unit := string(rs[:size])
		if strings.Repeat(unit, n/size) == s {
			return unit
		}
	}
	return s
}

// ParseCategories reads a reply to 不满意的事项是哪些，请选择，可以选择多项:
// category numbers 1..4 in any of the forms people send ("2 3", "2，3",
// "23", "2、3", "２ ３", "1和3", "第2项", "二、三", "消极执行"), and 全部 or
// 都有 for all four. It returns the numbers deduplicated and sorted, or
// false if the reply is anything else; ranges such as "1-3" are not guessed.
func ParseCategories(s string) ([]int, bool) {
	s = foldText(s)
	if t := removeTags(s); lettersDigits(t) != "" {
		s = t
	}
	if strings.ContainsAny(s, "-~〜—–至到") {
		return nil, false
	}
	s = categoryWords.Replace(s)
	c := lettersDigits(s)
	c = categoryFillers.Replace(c)
	if slices.Contains(allWords, c) {
		return []int{1, 2, 3, 4}, true
	}
	if c == "" {
		return nil, false
	}
	var seen [5]bool
	for _, r := range c {
		if r < '1' || r > '4' {
			return nil, false
		}
		seen[r-'0'] = true
	}
	var out []int
	for i := 1; i <= 4; i++ {
		if seen[i] {
			out = append(out, i)
		}
	}
	return out, true
}

// categoryWords turns category names and Chinese numerals into digits.
// strings.Replacer tries its pairs in argument order, so longer names first.
var categoryWords = strings.NewReplacer(
	"反映执行不廉或作风不正", " 3 ", "执行不廉或作风不正", " 3 ", "反映外部非正常干预问题", " 4 ",
	"外部非正常干预", " 4 ", "反映消极执行", " 1 ", "反映执行错误", " 2 ", "消极执行", " 1 ",
	"执行错误", " 2 ", "执行不廉", " 3 ", "作风不正", " 3 ", "外部干预", " 4 ", "非正常干预", " 4 ",
	"一", " 1 ", "二", " 2 ", "两", " 2 ", "三", " 3 ", "四", " 4 ",
)

var categoryFillers = strings.NewReplacer(
	"不满意", "", "事项", "", "问题", "", "以及", "", "还有", "", "选择", "", "我选", "",
	"回复", "", "谢谢", "", "和", "", "与", "", "及", "", "跟", "", "或", "", "第", "",
	"项", "", "条", "", "类", "", "个", "", "号", "", "选", "", "是", "", "的", "", "了", "",
)

var allWords = []string{"全部", "都有", "全选", "全都", "都", "所有", "以上都", "以上全部", "以上都有", "以上所有", "全部都", "都选"}

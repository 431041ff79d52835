package visit

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// The templates of the messages a visit sends a party. The texts are the
// seed's words; a court may edit them, but the satisfaction question keeps
// its meaning and the replies the parser reads, whatever is edited.
const (
	TemplateQuestion     = "visit.question"
	TemplateQuestionLink = "visit.question_link"
	TemplateAskAgain     = "visit.ask_again"
	TemplateCategories   = "visit.categories"
)

// The variables of the visit messages.
const (
	VarCaseNo = "案号"
	// VarURL is the installation's public address: fixed, written into
	// the text registered with a provider (none takes a web address as a
	// parameter).
	VarURL = "网址"
	// VarLink is the party's one-time link token: the link is
	// {网址}/v/{链接码}.
	VarLink = "链接码"
)

// LinkPath is how the party's link is written in a text: it must stay
// whole, or the party's page is not found.
const LinkPath = "{" + VarURL + "}/v/{" + VarLink + "}"

const questionText = "案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"

var (
	caseVar = domain.SMSVar{Name: VarCaseNo, Sample: "（2026）鲁0102执1234号", Required: true}
	urlVar  = domain.SMSVar{Name: VarURL, Sample: "https://zhilian.court.example", Required: true, Fixed: true}
	linkVar = domain.SMSVar{Name: VarLink, Sample: "Q2xvdWRTTVNMaW5rVG9rZW5FeGFtcGxlMDEyMzQ1Njc4", Required: true}
)

// SMSTemplates are the messages of a visit, with their default texts.
func SMSTemplates() []domain.SMSTemplate {
	var cats []string
	for _, c := range Form() {
		cats = append(cats, fmt.Sprintf("%d %s", c.No, c.Name))
	}
	return []domain.SMSTemplate{
		{Name: TemplateQuestion, Label: "回访询问（是否执行完毕、是否满意）", To: "当事人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, caseVar},
			Default: "您好，这里是执行回访。您的案件{案号}，" + questionText, Check: checkQuestion},
		{Name: TemplateQuestionLink, Label: "回访询问（附当事人反馈单链接）", To: "当事人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, caseVar, urlVar, linkVar},
			Default: "您好，这里是执行回访。您的案件{案号}，" + questionText + "也可打开 " + LinkPath + " 填写反馈单。",
			Check: func(text string) string {
				if !strings.Contains(text, LinkPath) {
					return "文本须完整保留链接“" + LinkPath + "”。"
				}
				return checkQuestion(text)
			}},
		{Name: TemplateAskAgain, Label: "再次询问（回复未能识别）", To: "当事人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar, caseVar},
			Default: "抱歉，未能识别您的回复。您的案件{案号}，" + questionText, Check: checkQuestion},
		{Name: TemplateCategories, Label: "不满意事项询问", To: "当事人",
			Vars:    []domain.SMSVar{domain.SMSCourtVar},
			Default: QuestionCategories + "：" + strings.Join(cats, "；") + "。请回复序号，如“1 3”。", Check: checkCategories},
	}
}

// TemplateFor is the template of a message kind; link says the question
// carries the party's link.
func TemplateFor(kind MessageKind, link bool) string {
	switch {
	case kind == MessageAskAgain:
		return TemplateAskAgain
	case kind == MessageCategories:
		return TemplateCategories
	case link:
		return TemplateQuestionLink
	}
	return TemplateQuestion
}

// An answer number beside its word: "1 满意", "1、满意", "回复1表示满意".
func numbered(no int, word string) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`[%d%c][\s、.．:：)）]*(表示|代表|为|即)?[\s“"]*%s`, no, '０'+rune(no), regexp.QuoteMeta(word)))
}

var (
	answerSatisfied    = numbered(1, "满意")
	answerDissatisfied = numbered(2, "不满意")
)

// checkQuestion keeps the satisfaction question's meaning: it asks both
// questions of 附件3 and says how to answer them, as the parser reads the
// answers (1 满意, 2 不满意).
func checkQuestion(text string) string {
	var missing []string
	for _, w := range []string{"是否执行完毕", "是否满意"} {
		if !strings.Contains(text, w) {
			missing = append(missing, "“"+w+"”")
		}
	}
	if len(missing) > 0 {
		return "回访询问须保留原意：文本须问" + strings.Join(missing, "和") + "。"
	}
	if !strings.Contains(text, "回复") || !answerSatisfied.MatchString(text) || !answerDissatisfied.MatchString(text) {
		return "回访询问须说明如何回复：保留“回复”及“1 满意”“2 不满意”（系统按此识别当事人的回复）。"
	}
	return ""
}

// checkCategories keeps the follow-up question: the four categories of
// 附件3 by their numbers, which the parser reads.
func checkCategories(text string) string {
	for _, c := range Form() {
		if !numbered(c.No, c.Name).MatchString(text) {
			return fmt.Sprintf("不满意事项询问须列出四类事项及其序号，缺少“%d %s”。", c.No, c.Name)
		}
	}
	if !strings.Contains(text, "回复") {
		return "不满意事项询问须说明回复序号（保留“回复”）。"
	}
	return ""
}

// SMSVars are the values of a visit message's variables: the case number
// and, for the link, the public address and the token.
func SMSVars(caseNo, publicURL, token string) map[string]string {
	return map[string]string{VarCaseNo: caseNo, VarURL: strings.TrimSuffix(publicURL, "/"), VarLink: token}
}

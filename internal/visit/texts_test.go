package visit

import (
	"errors"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func template(t *testing.T, name string) domain.SMSTemplate {
	t.Helper()
	for _, tp := range SMSTemplates() {
		if tp.Name == name {
			return tp
		}
	}
	t.Fatalf("no template %s", name)
	return domain.SMSTemplate{}
}

// The messages parties read by default, pinned word for word: the seed's
// words, under the court's signature.
func TestTexts(t *testing.T) {
	const court, no = "济南市历下区人民法院", "（2026）鲁0102执7号"
	render := func(name string, vals map[string]string) string {
		tp := template(t, name)
		if err := tp.Validate(tp.Default); err != nil {
			t.Errorf("%s: the default text fails its own check: %v", name, err)
		}
		return domain.Signed(court, domain.Render(tp.Default, vals))
	}
	vals := SMSVars(no, "https://zhilian.example.court/", "●●●●●●")
	for _, tt := range []struct {
		name, got, want string
	}{
		{"question", render(TemplateFor(MessageQuestion, false), vals),
			"【济南市历下区人民法院】您好，这里是执行回访。您的案件（2026）鲁0102执7号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"},
		{"question with link", render(TemplateFor(MessageQuestion, true), vals),
			"【济南市历下区人民法院】您好，这里是执行回访。您的案件（2026）鲁0102执7号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。也可打开 https://zhilian.example.court/v/●●●●●● 填写反馈单。"},
		{"ask again", render(TemplateFor(MessageAskAgain, false), vals),
			"【济南市历下区人民法院】抱歉，未能识别您的回复。您的案件（2026）鲁0102执7号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"},
		{"categories", render(TemplateFor(MessageCategories, false), vals),
			"【济南市历下区人民法院】不满意的事项是哪些，请选择，可以选择多项：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正；4 反映外部非正常干预问题。请回复序号，如“1 3”。"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.got, tt.want)
		}
	}
}

// An edited text keeps the question's meaning, the answers the parser
// reads and the variables; anything else is refused with a message for
// the field.
func TestEditedTexts(t *testing.T) {
	for _, tt := range []struct {
		name, template, text, err string
	}{
		{"reworded question", TemplateQuestion, "{法院}回访：您的案件{案号}是否执行完毕？您对执行过程是否满意？回复1表示满意，回复2表示不满意。", ""},
		{"full-width digits", TemplateAskAgain, "未能识别。案件{案号}是否执行完毕、是否满意？请回复：１ 满意；２ 不满意。", ""},
		{"no case number", TemplateQuestion, "案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。", "{案号}"},
		{"meaning dropped", TemplateQuestion, "您的案件{案号}办得怎么样？请回复：1 满意；2 不满意。", "是否执行完毕"},
		{"answers dropped", TemplateQuestion, "您的案件{案号}是否执行完毕，是否满意？欢迎回复。", "1 满意"},
		{"answers swapped", TemplateQuestion, "您的案件{案号}是否执行完毕，是否满意？请回复：1 不满意；2 满意。", "1 满意"},
		{"unknown variable", TemplateQuestion, "{当事人}您好，案件{案号}是否执行完毕，是否满意？请回复：1 满意；2 不满意。", "没有变量{当事人}"},
		{"brace", TemplateQuestion, "案件{案号是否执行完毕，是否满意？请回复：1 满意；2 不满意。", "花括号"},
		{"signature in text", TemplateQuestion, "【历下法院】案件{案号}是否执行完毕，是否满意？请回复：1 满意；2 不满意。", "签名"},
		{"link broken", TemplateQuestionLink, "案件{案号}是否执行完毕，是否满意？请回复：1 满意；2 不满意。打开{网址}/{链接码}", "链接"},
		{"link kept", TemplateQuestionLink, "案件{案号}是否执行完毕，是否满意？请回复：1 满意；2 不满意。反馈单：{网址}/v/{链接码}", ""},
		{"category missing", TemplateCategories, "请选择不满意的事项：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正。请回复序号。", "4 反映外部非正常干预问题"},
		{"categories reworded", TemplateCategories, "哪些方面不满意？可多选：1、反映消极执行 2、反映执行错误 3、反映执行不廉或作风不正 4、反映外部非正常干预问题，请回复序号。", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := template(t, tt.template).Validate(tt.text)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *domain.ValidationError
			var de *domain.Error
			msg := ""
			switch {
			case errors.As(err, &ve):
				msg = ve.Fields["body"]
			case errors.As(err, &de):
				msg = de.Message
			}
			if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(msg, tt.err) {
				t.Fatalf("want a message with %q, got %v", tt.err, err)
			}
		})
	}
}

// A provider that takes a template ID gets the parameters in the order
// they stand in the text, and the installation's address written out.
func TestRegistration(t *testing.T) {
	tp := template(t, TemplateQuestionLink)
	text := "{法院}回访：案件{案号}是否执行完毕，是否满意？请回复：1 满意；2 不满意。反馈单 {网址}/v/{链接码}（{案号}）"
	if got := strings.Join(tp.Params(text), ","); got != "法院,案号,链接码" {
		t.Errorf("params %q", got)
	}
	want := "{1}回访：案件{2}是否执行完毕，是否满意？请回复：1 满意；2 不满意。反馈单 https://court.example/v/{3}（{2}）"
	if got := tp.Registration(text, map[string]string{VarURL: "https://court.example"}); got != want {
		t.Errorf("registration\n got %q\nwant %q", got, want)
	}
}

package visit

import "strings"

// SMSText returns the text of a message of a visit, in the seed's words.
func SMSText(kind MessageKind, courtName, caseNumber string) string {
	question := "案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"
	switch kind {
	case MessageAskAgain:
		return "【" + courtName + "】抱歉，未能识别您的回复。您的案件" + caseNumber + "，" + question
	case MessageCategories:
		return "【" + courtName + "】不满意的事项是哪些，请选择，可以选择多项：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正；4 反映外部非正常干预问题。请回复序号，如“1 3”。"
	}
	return "【" + courtName + "】您好，这里是执行回访。您的案件" + caseNumber + "，" + question
}

// LinkSentence is the sentence a question ends with that gives the party
// his one-time link: the form at publicURL/v/token.
func LinkSentence(publicURL, token string) string {
	return "也可打开 " + strings.TrimSuffix(publicURL, "/") + "/v/" + token + " 填写反馈单。"
}

package evaluators

import "strings"

// thinkingTags are the tags reasoning models put around their thinking when
// the server does not separate it from the answer.
var thinkingTags = [][2]string{{"<think>", "</think>"}, {"<thinking>", "</thinking>"}}

// StripThinking removes a thinking block at the start of output, so that
// extraction sees only the answer. A block that is never closed (the token
// limit hit while thinking) removes everything, leaving no answer. Text
// without a leading thinking block is returned unchanged.
func StripThinking(output string) string {
	trimmed := strings.TrimLeft(output, " \t\r\n")
	for _, tag := range thinkingTags {
		if !strings.HasPrefix(trimmed, tag[0]) {
			continue
		}
		_, after, closed := strings.Cut(trimmed[len(tag[0]):], tag[1])
		if !closed {
			return ""
		}
		return strings.TrimLeft(after, " \t\r\n")
	}
	return output
}

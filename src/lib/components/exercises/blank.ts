/**
 * The questions left blank in a form's fields (`q:ID`, `q:ID:ROW:COLUMN`, a choice's `q:ID` only
 * when picked): a question is blank when none of its fields holds more than spaces.
 */
export function blankQuestions(questions: readonly { id: string }[], fields: Record<string, string>): string[] {
	const answered = new Set(
		Object.entries(fields)
			.filter(([name, value]) => name.startsWith('q:') && value.trim() !== '')
			.map(([name]) => name.split(':')[1])
	);
	return questions.filter((q) => !answered.has(q.id)).map((q) => q.id);
}

package gen

import "github.com/quantbench/quantbench/datasets"

// helperSpacing places one task with a prompt helper after this many other
// tasks, so that any prefix of the file mixes both kinds.
const helperSpacing = 9

func codeDataset() Dataset {
	var plain, withHelper []codeTask
	for _, task := range codeTasks {
		if task.helper != "" {
			withHelper = append(withHelper, task)
		} else {
			plain = append(plain, task)
		}
	}

	var items []datasets.Item
	for i, task := range plain {
		items = append(items, codeItem(task))
		if (i+1)%helperSpacing == 0 && len(withHelper) > 0 {
			items = append(items, codeItem(withHelper[0]))
			withHelper = withHelper[1:]
		}
	}
	for _, task := range withHelper {
		items = append(items, codeItem(task))
	}

	return Dataset{
		Manifest: Manifest{
			Name:     "python_functions",
			Category: datasets.Code,
			Description: "Small Python functions given as a signature and docstring, checked by assert " +
				"statements. Some prompts define a helper function that the solution must call.",
			Template: "Write the Python function described below. Keep its name and signature. " +
				"If the code already defines helper functions, call them rather than rewriting them.\n\n" +
				"```python\n{{.prompt}}```\n\n" +
				"Return the complete function in a single python code block.",
			NumPredict: 512,
		},
		Items: items,
	}
}

func codeItem(task codeTask) datasets.Item {
	return datasets.Item{
		ID:    task.entry,
		Input: map[string]string{"prompt": task.prompt},
		Expected: datasets.Expected{
			Tests:      task.tests,
			EntryPoint: task.entry,
		},
	}
}

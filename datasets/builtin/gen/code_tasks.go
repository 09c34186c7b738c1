package gen

// codeTask is a Python function task. The prompt is a signature and docstring,
// with a helper function for some tasks, and goes into the dataset. The
// reference solution stays here, and only the tests run it.
type codeTask struct {
	entry    string
	prompt   string
	solution string
	tests    string

	// helper names a function defined in the prompt that the solution must
	// call, and altHelper redefines it differently: the tests must fail when
	// the solution runs with altHelper, which shows they depend on the helper.
	helper    string
	altHelper string
}

var codeTasks = []codeTask{
	{
		entry: "count_vowels",
		prompt: `def count_vowels(text: str) -> int:
    """Return how many vowels (a, e, i, o, u, in either case) the text contains.

    >>> count_vowels("Quantisation")
    6
    """
`,
		solution: `def count_vowels(text: str) -> int:
    return sum(1 for ch in text.lower() if ch in "aeiou")
`,
		tests: `assert count_vowels("Quantisation") == 6
assert count_vowels("") == 0
assert count_vowels("rhythm") == 0
assert count_vowels("AEIOU aeiou") == 10
`,
	},
	{
		entry: "reverse_words",
		prompt: `def reverse_words(sentence: str) -> str:
    """Return the words of the sentence in reverse order, joined by single spaces.

    Words are separated by any amount of whitespace.

    >>> reverse_words("the quick  brown fox")
    'fox brown quick the'
    """
`,
		solution: `def reverse_words(sentence: str) -> str:
    return " ".join(reversed(sentence.split()))
`,
		tests: `assert reverse_words("the quick  brown fox") == "fox brown quick the"
assert reverse_words("one") == "one"
assert reverse_words("   ") == ""
assert reverse_words(" a\tb\nc ") == "c b a"
`,
	},
	{
		entry: "is_palindrome",
		prompt: `def is_palindrome(text: str) -> bool:
    """Return True if the text reads the same backwards, ignoring case and
    every character that is not a letter or a digit.

    >>> is_palindrome("Never odd or even")
    True
    """
`,
		solution: `def is_palindrome(text: str) -> bool:
    cleaned = [ch.lower() for ch in text if ch.isalnum()]
    return cleaned == cleaned[::-1]
`,
		tests: `assert is_palindrome("Never odd or even") is True
assert is_palindrome("Step on no pets!") is True
assert is_palindrome("quantbench") is False
assert is_palindrome("") is True
assert is_palindrome("12a21") is True
assert is_palindrome("ab") is False
`,
	},
	{
		entry: "running_total",
		prompt: `def running_total(numbers: list[int]) -> list[int]:
    """Return the running totals of the list: element i is the sum of the first i + 1 numbers.

    >>> running_total([3, 1, 4])
    [3, 4, 8]
    """
`,
		solution: `def running_total(numbers: list[int]) -> list[int]:
    totals, acc = [], 0
    for n in numbers:
        acc += n
        totals.append(acc)
    return totals
`,
		tests: `assert running_total([3, 1, 4]) == [3, 4, 8]
assert running_total([]) == []
assert running_total([5, -5, 5]) == [5, 0, 5]
assert running_total([0, 0, 7]) == [0, 0, 7]
`,
	},
	{
		entry: "fizz_label",
		prompt: `def fizz_label(n: int) -> str:
    """Return "FizzBuzz" if n is divisible by 3 and 5, "Fizz" if only by 3,
    "Buzz" if only by 5, and otherwise n written as a decimal string.

    >>> fizz_label(10)
    'Buzz'
    """
`,
		solution: `def fizz_label(n: int) -> str:
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)
`,
		tests: `assert fizz_label(10) == "Buzz"
assert fizz_label(9) == "Fizz"
assert fizz_label(30) == "FizzBuzz"
assert fizz_label(7) == "7"
assert fizz_label(0) == "FizzBuzz"
`,
	},
	{
		entry: "celsius_to_fahrenheit",
		prompt: `def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert a temperature from degrees Celsius to degrees Fahrenheit,
    rounded to one decimal place.

    >>> celsius_to_fahrenheit(37)
    98.6
    """
`,
		solution: `def celsius_to_fahrenheit(celsius: float) -> float:
    return round(celsius * 9 / 5 + 32, 1)
`,
		tests: `assert celsius_to_fahrenheit(37) == 98.6
assert celsius_to_fahrenheit(0) == 32.0
assert celsius_to_fahrenheit(-40) == -40.0
assert celsius_to_fahrenheit(21.5) == 70.7
`,
	},
	{
		entry: "second_largest",
		prompt: `def second_largest(numbers: list[int]) -> int | None:
    """Return the second largest distinct value in the list, or None when the
    list has fewer than two distinct values.

    >>> second_largest([4, 9, 9, 2])
    4
    """
`,
		solution: `def second_largest(numbers: list[int]) -> int | None:
    distinct = sorted(set(numbers), reverse=True)
    return distinct[1] if len(distinct) > 1 else None
`,
		tests: `assert second_largest([4, 9, 9, 2]) == 4
assert second_largest([1]) is None
assert second_largest([5, 5, 5]) is None
assert second_largest([-1, -7, -3]) == -3
assert second_largest([]) is None
`,
	},
	{
		entry: "flatten_once",
		prompt: `def flatten_once(nested: list[list]) -> list:
    """Flatten a list of lists by one level, keeping the order of the elements.

    >>> flatten_once([[1, 2], [], [3]])
    [1, 2, 3]
    """
`,
		solution: `def flatten_once(nested: list[list]) -> list:
    return [x for inner in nested for x in inner]
`,
		tests: `assert flatten_once([[1, 2], [], [3]]) == [1, 2, 3]
assert flatten_once([]) == []
assert flatten_once([["a"], ["b", ["c"]]]) == ["a", "b", ["c"]]
`,
	},
	{
		entry: "char_frequency",
		prompt: `def char_frequency(text: str) -> dict[str, int]:
    """Count how often each character occurs in the text, spaces excluded.

    >>> char_frequency("a ba")
    {'a': 2, 'b': 1}
    """
`,
		solution: `def char_frequency(text: str) -> dict[str, int]:
    counts = {}
    for ch in text:
        if ch != " ":
            counts[ch] = counts.get(ch, 0) + 1
    return counts
`,
		tests: `assert char_frequency("a ba") == {"a": 2, "b": 1}
assert char_frequency("") == {}
assert char_frequency("Aa") == {"A": 1, "a": 1}
assert char_frequency("x x x") == {"x": 3}
`,
	},
	{
		entry: "merge_sorted",
		prompt: `def merge_sorted(a: list[int], b: list[int]) -> list[int]:
    """Merge two ascending lists into one ascending list, keeping duplicates.

    >>> merge_sorted([1, 4, 9], [2, 4])
    [1, 2, 4, 4, 9]
    """
`,
		solution: `def merge_sorted(a: list[int], b: list[int]) -> list[int]:
    i = j = 0
    out = []
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out + a[i:] + b[j:]
`,
		tests: `assert merge_sorted([1, 4, 9], [2, 4]) == [1, 2, 4, 4, 9]
assert merge_sorted([], [3]) == [3]
assert merge_sorted([], []) == []
assert merge_sorted([5, 6], [1, 2]) == [1, 2, 5, 6]
`,
	},
	{
		entry: "chunk",
		prompt: `def chunk(items: list, size: int) -> list[list]:
    """Split the list into consecutive chunks of the given size; the last
    chunk may be shorter.

    >>> chunk([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    """
`,
		solution: `def chunk(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]
`,
		tests: `assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
assert chunk([], 3) == []
assert chunk([1, 2, 3], 3) == [[1, 2, 3]]
assert chunk(["a", "b"], 5) == [["a", "b"]]
`,
	},
	{
		entry: "dedupe",
		prompt: `def dedupe(items: list) -> list:
    """Remove repeated items, keeping the first occurrence of each and the original order.

    >>> dedupe([3, 1, 3, 2, 1])
    [3, 1, 2]
    """
`,
		solution: `def dedupe(items: list) -> list:
    seen = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
`,
		tests: `assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]
assert dedupe([]) == []
assert dedupe(["b", "a", "b"]) == ["b", "a"]
assert dedupe([1, 1, 1]) == [1]
`,
	},
	{
		entry: "word_counts",
		prompt: `def word_counts(text: str) -> dict[str, int]:
    """Count the words of the text case-insensitively. A word is a maximal run
    of letters; everything else separates words. Keys are lower case.

    >>> word_counts("Go, go! GO-team")
    {'go': 3, 'team': 1}
    """
`,
		solution: `import re


def word_counts(text: str) -> dict[str, int]:
    counts = {}
    for word in re.findall(r"[A-Za-z]+", text):
        w = word.lower()
        counts[w] = counts.get(w, 0) + 1
    return counts
`,
		tests: `assert word_counts("Go, go! GO-team") == {"go": 3, "team": 1}
assert word_counts("") == {}
assert word_counts("a1b a") == {"a": 2, "b": 1}
`,
	},
	{
		entry: "is_prime",
		prompt: `def is_prime(n: int) -> bool:
    """Return True if n is a prime number.

    >>> is_prime(97)
    True
    """
`,
		solution: `def is_prime(n: int) -> bool:
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True
`,
		tests: `assert is_prime(97) is True
assert is_prime(1) is False
assert is_prime(2) is True
assert is_prime(91) is False
assert is_prime(-7) is False
assert is_prime(7919) is True
`,
	},
	{
		entry: "greatest_common_divisor",
		prompt: `def greatest_common_divisor(a: int, b: int) -> int:
    """Return the greatest common divisor of two non-negative integers.
    The result for (0, 0) is 0.

    >>> greatest_common_divisor(84, 36)
    12
    """
`,
		solution: `def greatest_common_divisor(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a
`,
		tests: `assert greatest_common_divisor(84, 36) == 12
assert greatest_common_divisor(17, 5) == 1
assert greatest_common_divisor(0, 9) == 9
assert greatest_common_divisor(0, 0) == 0
`,
	},
	{
		entry: "digit_sum",
		prompt: `def digit_sum(n: int) -> int:
    """Return the sum of the decimal digits of n; the sign is ignored.

    >>> digit_sum(-4096)
    19
    """
`,
		solution: `def digit_sum(n: int) -> int:
    return sum(int(d) for d in str(abs(n)))
`,
		tests: `assert digit_sum(-4096) == 19
assert digit_sum(0) == 0
assert digit_sum(99999) == 45
`,
	},
	{
		entry: "capitalize_words",
		prompt: `def capitalize_words(text: str) -> str:
    """Upper-case the first letter of every space-separated word and lower-case
    the rest of it. Spaces are kept exactly as they are.

    >>> capitalize_words("hELLO  wORLD")
    'Hello  World'
    """
`,
		solution: `def capitalize_words(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
`,
		tests: `assert capitalize_words("hELLO  wORLD") == "Hello  World"
assert capitalize_words("") == ""
assert capitalize_words(" a b ") == " A B "
assert capitalize_words("x") == "X"
`,
	},
	{
		entry: "rotate_left",
		prompt: `def rotate_left(items: list, k: int) -> list:
    """Rotate the list k positions to the left; k may exceed the length.
    An empty list stays empty.

    >>> rotate_left([1, 2, 3, 4], 5)
    [2, 3, 4, 1]
    """
`,
		solution: `def rotate_left(items: list, k: int) -> list:
    if not items:
        return []
    k %= len(items)
    return items[k:] + items[:k]
`,
		tests: `assert rotate_left([1, 2, 3, 4], 5) == [2, 3, 4, 1]
assert rotate_left([1, 2, 3], 0) == [1, 2, 3]
assert rotate_left([], 3) == []
assert rotate_left(["a", "b", "c"], 2) == ["c", "a", "b"]
`,
	},
	{
		entry: "pairwise_differences",
		prompt: `def pairwise_differences(numbers: list[int]) -> list[int]:
    """Return the differences between consecutive numbers (each number minus the one before it).

    >>> pairwise_differences([3, 7, 6])
    [4, -1]
    """
`,
		solution: `def pairwise_differences(numbers: list[int]) -> list[int]:
    return [b - a for a, b in zip(numbers, numbers[1:])]
`,
		tests: `assert pairwise_differences([3, 7, 6]) == [4, -1]
assert pairwise_differences([5]) == []
assert pairwise_differences([]) == []
assert pairwise_differences([1, 1, 1]) == [0, 0]
`,
	},
	{
		entry: "transpose",
		prompt: `def transpose(matrix: list[list[int]]) -> list[list[int]]:
    """Return the transpose of a rectangular matrix given as a list of rows.

    >>> transpose([[1, 2, 3], [4, 5, 6]])
    [[1, 4], [2, 5], [3, 6]]
    """
`,
		solution: `def transpose(matrix: list[list[int]]) -> list[list[int]]:
    return [list(col) for col in zip(*matrix)]
`,
		tests: `assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
assert transpose([[7]]) == [[7]]
assert transpose([]) == []
assert transpose([[1], [2]]) == [[1, 2]]
`,
	},
	{
		entry: "longest_word",
		prompt: `def longest_word(sentence: str) -> str:
    """Return the longest space-separated word; on a tie, the first one.
    Return "" for a sentence without words.

    >>> longest_word("a bb cc d")
    'bb'
    """
`,
		solution: `def longest_word(sentence: str) -> str:
    best = ""
    for w in sentence.split():
        if len(w) > len(best):
            best = w
    return best
`,
		tests: `assert longest_word("a bb cc d") == "bb"
assert longest_word("") == ""
assert longest_word("tiny enormous big") == "enormous"
assert longest_word("same size") == "same"
`,
	},
	{
		entry: "caesar_shift",
		prompt: `def caesar_shift(text: str, shift: int) -> str:
    """Shift every ASCII letter by the given number of places in the alphabet,
    wrapping around and keeping its case. Other characters are unchanged.
    The shift may be negative.

    >>> caesar_shift("Hello, Zoe!", 3)
    'Khoor, Crh!'
    """
`,
		solution: `def caesar_shift(text: str, shift: int) -> str:
    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)
`,
		tests: `assert caesar_shift("Hello, Zoe!", 3) == "Khoor, Crh!"
assert caesar_shift("abc", -1) == "zab"
assert caesar_shift("xyz", 29) == "abc"
assert caesar_shift("123", 5) == "123"
`,
	},
	{
		entry: "roman_to_int",
		prompt: `def roman_to_int(numeral: str) -> int:
    """Convert a valid Roman numeral in upper case (I, V, X, L, C, D, M, with
    subtractive pairs such as IV and CM) to an integer.

    >>> roman_to_int("MCMXCIV")
    1994
    """
`,
		solution: `def roman_to_int(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        if i + 1 < len(numeral) and values[numeral[i + 1]] > v:
            total -= v
        else:
            total += v
    return total
`,
		tests: `assert roman_to_int("MCMXCIV") == 1994
assert roman_to_int("III") == 3
assert roman_to_int("XLII") == 42
assert roman_to_int("MMXXV") == 2025
assert roman_to_int("CDXLIV") == 444
`,
	},
	{
		entry: "to_binary",
		prompt: `def to_binary(n: int) -> str:
    """Return the binary representation of a non-negative integer, without a prefix.

    >>> to_binary(10)
    '1010'
    """
`,
		solution: `def to_binary(n: int) -> str:
    return format(n, "b")
`,
		tests: `assert to_binary(10) == "1010"
assert to_binary(0) == "0"
assert to_binary(1) == "1"
assert to_binary(255) == "11111111"
`,
	},
	{
		entry: "count_inversions",
		prompt: `def count_inversions(numbers: list[int]) -> int:
    """Count the pairs of positions i < j with numbers[i] > numbers[j].

    >>> count_inversions([3, 1, 2])
    2
    """
`,
		solution: `def count_inversions(numbers: list[int]) -> int:
    n = len(numbers)
    return sum(1 for i in range(n) for j in range(i + 1, n) if numbers[i] > numbers[j])
`,
		tests: `assert count_inversions([3, 1, 2]) == 2
assert count_inversions([1, 2, 3]) == 0
assert count_inversions([4, 3, 2, 1]) == 6
assert count_inversions([2, 2]) == 0
`,
	},
	{
		entry: "median",
		prompt: `def median(numbers: list[float]) -> float:
    """Return the median of a non-empty list: the middle value after sorting,
    or the mean of the two middle values for an even length.

    >>> median([5, 1, 3, 2])
    2.5
    """
`,
		solution: `def median(numbers: list[float]) -> float:
    s = sorted(numbers)
    mid = len(s) // 2
    if len(s) % 2:
        return s[mid]
    return (s[mid - 1] + s[mid]) / 2
`,
		tests: `assert median([5, 1, 3, 2]) == 2.5
assert median([7]) == 7
assert median([3, 1, 2]) == 2
assert median([-4, 4]) == 0
`,
	},
	{
		entry: "squeeze_spaces",
		prompt: `def squeeze_spaces(text: str) -> str:
    """Replace every run of whitespace with a single space and strip both ends.

    >>> squeeze_spaces("  a \\t\\n b  ")
    'a b'
    """
`,
		solution: `def squeeze_spaces(text: str) -> str:
    return " ".join(text.split())
`,
		tests: `assert squeeze_spaces("  a \t\n b  ") == "a b"
assert squeeze_spaces("") == ""
assert squeeze_spaces("word") == "word"
assert squeeze_spaces("x    y z") == "x y z"
`,
	},
	{
		entry: "parse_settings",
		prompt: `def parse_settings(line: str) -> dict[str, str]:
    """Parse "key=value" pairs separated by semicolons into a dict. Keys and
    values are stripped of surrounding spaces, empty pairs are skipped, and a
    later key overrides an earlier one.

    >>> parse_settings("mode = fast; retries=3;;")
    {'mode': 'fast', 'retries': '3'}
    """
`,
		solution: `def parse_settings(line: str) -> dict[str, str]:
    settings = {}
    for part in line.split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        settings[key.strip()] = value.strip()
    return settings
`,
		tests: `assert parse_settings("mode = fast; retries=3;;") == {"mode": "fast", "retries": "3"}
assert parse_settings("") == {}
assert parse_settings("a=1;a=2") == {"a": "2"}
assert parse_settings("url=http://x?y=1") == {"url": "http://x?y=1"}
`,
	},
	{
		entry: "group_by_length",
		prompt: `def group_by_length(words: list[str]) -> dict[int, list[str]]:
    """Group words by their length, keeping the input order inside each group.

    >>> group_by_length(["ox", "cat", "be", "dog"])
    {2: ['ox', 'be'], 3: ['cat', 'dog']}
    """
`,
		solution: `def group_by_length(words: list[str]) -> dict[int, list[str]]:
    groups = {}
    for w in words:
        groups.setdefault(len(w), []).append(w)
    return groups
`,
		tests: `assert group_by_length(["ox", "cat", "be", "dog"]) == {2: ["ox", "be"], 3: ["cat", "dog"]}
assert group_by_length([]) == {}
assert group_by_length(["", "a"]) == {0: [""], 1: ["a"]}
`,
	},
	{
		entry: "safe_divide",
		prompt: `def safe_divide(a: float, b: float) -> float | None:
    """Return a / b, or None when b is zero.

    >>> safe_divide(7, 2)
    3.5
    """
`,
		solution: `def safe_divide(a: float, b: float) -> float | None:
    if b == 0:
        return None
    return a / b
`,
		tests: `assert safe_divide(7, 2) == 3.5
assert safe_divide(1, 0) is None
assert safe_divide(0, 5) == 0
assert safe_divide(-9, 3) == -3
`,
	},
	{
		entry: "clamp",
		prompt: `def clamp(value: float, low: float, high: float) -> float:
    """Limit value to the closed interval [low, high].

    >>> clamp(12, 0, 10)
    10
    """
`,
		solution: `def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(value, high))
`,
		tests: `assert clamp(12, 0, 10) == 10
assert clamp(-3, 0, 10) == 0
assert clamp(5, 0, 10) == 5
assert clamp(0.5, 0.25, 0.75) == 0.5
`,
	},
	{
		entry: "run_length_encode",
		prompt: `def run_length_encode(text: str) -> str:
    """Encode runs of equal characters as the character followed by the run length.

    >>> run_length_encode("aaabcc")
    'a3b1c2'
    """
`,
		solution: `def run_length_encode(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        out.append(f"{text[i]}{j - i}")
        i = j
    return "".join(out)
`,
		tests: `assert run_length_encode("aaabcc") == "a3b1c2"
assert run_length_encode("") == ""
assert run_length_encode("zzzzzzzzzzzz") == "z12"
assert run_length_encode("abab") == "a1b1a1b1"
`,
	},
	{
		entry: "run_length_decode",
		prompt: `def run_length_decode(encoded: str) -> str:
    """Decode a string of letters each followed by a run length of one or more digits.

    >>> run_length_decode("a3b1c12")
    'aaabcccccccccccc'
    """
`,
		solution: `import re


def run_length_decode(encoded: str) -> str:
    return "".join(ch * int(n) for ch, n in re.findall(r"(\D)(\d+)", encoded))
`,
		tests: `assert run_length_decode("a3b1c12") == "aaab" + "c" * 12
assert run_length_decode("") == ""
assert run_length_decode("x1") == "x"
assert run_length_decode("q10") == "q" * 10
`,
	},
	{
		entry: "is_anagram",
		prompt: `def is_anagram(first: str, second: str) -> bool:
    """Return True if the two strings use the same letters the same number of
    times, ignoring case and spaces.

    >>> is_anagram("Dormitory", "dirty room")
    True
    """
`,
		solution: `def is_anagram(first: str, second: str) -> bool:
    norm = lambda s: sorted(s.replace(" ", "").lower())
    return norm(first) == norm(second)
`,
		tests: `assert is_anagram("Dormitory", "dirty room") is True
assert is_anagram("listen", "silent") is True
assert is_anagram("abc", "abd") is False
assert is_anagram("aab", "abb") is False
`,
	},
	{
		entry: "find_duplicates",
		prompt: `def find_duplicates(numbers: list[int]) -> list[int]:
    """Return the values that occur more than once, each once, in ascending order.

    >>> find_duplicates([4, 1, 4, 2, 1, 4])
    [1, 4]
    """
`,
		solution: `def find_duplicates(numbers: list[int]) -> list[int]:
    seen, dups = set(), set()
    for n in numbers:
        if n in seen:
            dups.add(n)
        seen.add(n)
    return sorted(dups)
`,
		tests: `assert find_duplicates([4, 1, 4, 2, 1, 4]) == [1, 4]
assert find_duplicates([1, 2, 3]) == []
assert find_duplicates([]) == []
assert find_duplicates([-1, -1, 0]) == [-1]
`,
	},
	{
		entry: "max_profit",
		prompt: `def max_profit(prices: list[int]) -> int:
    """Given daily prices, return the largest gain from buying on one day and
    selling on a later day, or 0 if no gain is possible.

    >>> max_profit([7, 1, 5, 3, 6, 4])
    5
    """
`,
		solution: `def max_profit(prices: list[int]) -> int:
    best, low = 0, None
    for p in prices:
        if low is None or p < low:
            low = p
        best = max(best, p - low)
    return best
`,
		tests: `assert max_profit([7, 1, 5, 3, 6, 4]) == 5
assert max_profit([9, 7, 4, 1]) == 0
assert max_profit([]) == 0
assert max_profit([2, 4, 1, 10]) == 9
`,
	},
	{
		entry: "brackets_balanced",
		prompt: `def brackets_balanced(text: str) -> bool:
    """Return True if the brackets (), [] and {} in the text are balanced and
    properly nested. Other characters are ignored.

    >>> brackets_balanced("f(a[1]) {x}")
    True
    """
`,
		solution: `def brackets_balanced(text: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack
`,
		tests: `assert brackets_balanced("f(a[1]) {x}") is True
assert brackets_balanced("(]") is False
assert brackets_balanced("((") is False
assert brackets_balanced("") is True
assert brackets_balanced("}{") is False
assert brackets_balanced("([{}])") is True
`,
	},
	{
		entry: "snake_to_camel",
		prompt: `def snake_to_camel(name: str) -> str:
    """Convert a snake_case identifier to lowerCamelCase.

    >>> snake_to_camel("max_retry_count")
    'maxRetryCount'
    """
`,
		solution: `def snake_to_camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(p[:1].upper() + p[1:] for p in rest)
`,
		tests: `assert snake_to_camel("max_retry_count") == "maxRetryCount"
assert snake_to_camel("single") == "single"
assert snake_to_camel("a_b") == "aB"
`,
	},
	{
		entry: "camel_to_snake",
		prompt: `def camel_to_snake(name: str) -> str:
    """Convert a lowerCamelCase or UpperCamelCase identifier to snake_case:
    insert an underscore before each upper-case letter that is not the first
    character, and lower-case everything.

    >>> camel_to_snake("parseHttpHeader")
    'parse_http_header'
    """
`,
		solution: `def camel_to_snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
`,
		tests: `assert camel_to_snake("parseHttpHeader") == "parse_http_header"
assert camel_to_snake("Value") == "value"
assert camel_to_snake("x") == "x"
assert camel_to_snake("getX") == "get_x"
`,
	},
	{
		entry: "letters_and_digits",
		prompt: `def letters_and_digits(text: str) -> tuple[int, int]:
    """Return a pair (number of letters, number of digits) in the text.

    >>> letters_and_digits("R2-D2 and C-3PO")
    (8, 3)
    """
`,
		solution: `def letters_and_digits(text: str) -> tuple[int, int]:
    return (sum(ch.isalpha() for ch in text), sum(ch.isdigit() for ch in text))
`,
		tests: `assert letters_and_digits("R2-D2 and C-3PO") == (8, 3)
assert letters_and_digits("") == (0, 0)
assert letters_and_digits("2025") == (0, 4)
`,
	},
	{
		entry: "product_except_self",
		prompt: `def product_except_self(numbers: list[int]) -> list[int]:
    """Return a list where element i is the product of all numbers except numbers[i].

    >>> product_except_self([1, 2, 3, 4])
    [24, 12, 8, 6]
    """
`,
		solution: `def product_except_self(numbers: list[int]) -> list[int]:
    out = []
    for i in range(len(numbers)):
        p = 1
        for j, n in enumerate(numbers):
            if j != i:
                p *= n
        out.append(p)
    return out
`,
		tests: `assert product_except_self([1, 2, 3, 4]) == [24, 12, 8, 6]
assert product_except_self([5, 0, 2]) == [0, 10, 0]
assert product_except_self([7]) == [1]
`,
	},
	{
		entry: "moving_average",
		prompt: `def moving_average(values: list[float], window: int) -> list[float]:
    """Return the averages of every run of window consecutive values, rounded
    to two decimals. A list shorter than the window gives [].

    >>> moving_average([1, 2, 3, 4], 2)
    [1.5, 2.5, 3.5]
    """
`,
		solution: `def moving_average(values: list[float], window: int) -> list[float]:
    return [round(sum(values[i:i + window]) / window, 2) for i in range(len(values) - window + 1)]
`,
		tests: `assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]
assert moving_average([1, 2], 3) == []
assert moving_average([1, 1, 2], 3) == [1.33]
assert moving_average([5], 1) == [5]
`,
	},
	{
		entry: "is_leap_year",
		prompt: `def is_leap_year(year: int) -> bool:
    """Return True if the year is a leap year in the Gregorian calendar.

    >>> is_leap_year(2024)
    True
    """
`,
		solution: `def is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
`,
		tests: `assert is_leap_year(2024) is True
assert is_leap_year(1900) is False
assert is_leap_year(2000) is True
assert is_leap_year(2023) is False
`,
	},
	{
		entry: "days_in_month",
		prompt: `def days_in_month(year: int, month: int) -> int:
    """Return the number of days in the month (1 to 12) of the given Gregorian year.

    >>> days_in_month(2024, 2)
    29
    """
`,
		solution: `def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31
`,
		tests: `assert days_in_month(2024, 2) == 29
assert days_in_month(2100, 2) == 28
assert days_in_month(2025, 4) == 30
assert days_in_month(2025, 12) == 31
`,
	},
	{
		entry: "format_duration",
		prompt: `def format_duration(seconds: int) -> str:
    """Format a number of seconds as "Hh MMm SSs", with minutes and seconds
    padded to two digits.

    >>> format_duration(3723)
    '1h 02m 03s'
    """
`,
		solution: `def format_duration(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h {m:02d}m {s:02d}s"
`,
		tests: `assert format_duration(3723) == "1h 02m 03s"
assert format_duration(0) == "0h 00m 00s"
assert format_duration(59) == "0h 00m 59s"
assert format_duration(90061) == "25h 01m 01s"
`,
	},
	{
		entry: "top_k_words",
		prompt: `def top_k_words(words: list[str], k: int) -> list[str]:
    """Return the k most frequent words, most frequent first; words with the
    same count are ordered alphabetically.

    >>> top_k_words(["b", "a", "b", "c", "a", "d"], 2)
    ['a', 'b']
    """
`,
		solution: `def top_k_words(words: list[str], k: int) -> list[str]:
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:k]
`,
		tests: `assert top_k_words(["b", "a", "b", "c", "a", "d"], 2) == ["a", "b"]
assert top_k_words(["x", "y", "y"], 1) == ["y"]
assert top_k_words([], 3) == []
assert top_k_words(["q", "p", "q", "p", "q"], 5) == ["q", "p"]
`,
	},
	{
		entry: "invert_mapping",
		prompt: `def invert_mapping(mapping: dict) -> dict:
    """Swap keys and values. When several keys share a value, the key that
    comes last in the dict wins.

    >>> invert_mapping({"a": 1, "b": 2})
    {1: 'a', 2: 'b'}
    """
`,
		solution: `def invert_mapping(mapping: dict) -> dict:
    return {v: k for k, v in mapping.items()}
`,
		tests: `assert invert_mapping({"a": 1, "b": 2}) == {1: "a", 2: "b"}
assert invert_mapping({}) == {}
assert invert_mapping({"x": 0, "y": 0}) == {0: "y"}
`,
	},
	{
		entry: "acronym",
		prompt: `def acronym(phrase: str) -> str:
    """Build an upper-case acronym from the first letter of each word. Words
    are separated by spaces or hyphens.

    >>> acronym("portable network graphics")
    'PNG'
    """
`,
		solution: `def acronym(phrase: str) -> str:
    return "".join(w[0].upper() for w in phrase.replace("-", " ").split())
`,
		tests: `assert acronym("portable network graphics") == "PNG"
assert acronym("self-contained underwater breathing apparatus") == "SCUBA"
assert acronym("") == ""
`,
	},
	{
		entry: "fibonacci_list",
		prompt: `def fibonacci_list(n: int) -> list[int]:
    """Return the first n Fibonacci numbers, starting 0, 1.

    >>> fibonacci_list(7)
    [0, 1, 1, 2, 3, 5, 8]
    """
`,
		solution: `def fibonacci_list(n: int) -> list[int]:
    out, a, b = [], 0, 1
    for _ in range(n):
        out.append(a)
        a, b = b, a + b
    return out
`,
		tests: `assert fibonacci_list(7) == [0, 1, 1, 2, 3, 5, 8]
assert fibonacci_list(0) == []
assert fibonacci_list(1) == [0]
assert fibonacci_list(20)[-1] == 4181
`,
	},
	{
		entry: "binary_search",
		prompt: `def binary_search(items: list[int], target: int) -> int:
    """Return the index of target in the ascending list of distinct integers,
    or -1 when it is absent.

    >>> binary_search([1, 3, 5, 7, 9], 7)
    3
    """
`,
		solution: `def binary_search(items: list[int], target: int) -> int:
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
`,
		tests: `assert binary_search([1, 3, 5, 7, 9], 7) == 3
assert binary_search([1, 3, 5, 7, 9], 4) == -1
assert binary_search([], 1) == -1
assert binary_search([2], 2) == 0
assert binary_search(list(range(0, 1000, 2)), 998) == 499
`,
	},
	{
		entry: "sum_odd_squares",
		prompt: `def sum_odd_squares(numbers: list[int]) -> int:
    """Return the sum of the squares of the odd numbers in the list.

    >>> sum_odd_squares([1, 2, 3, -5])
    35
    """
`,
		solution: `def sum_odd_squares(numbers: list[int]) -> int:
    return sum(n * n for n in numbers if n % 2)
`,
		tests: `assert sum_odd_squares([1, 2, 3, -5]) == 35
assert sum_odd_squares([]) == 0
assert sum_odd_squares([2, 4]) == 0
`,
	},
	{
		entry: "mask_email",
		prompt: `def mask_email(address: str) -> str:
    """Hide the local part of an e-mail address except its first character,
    replacing each hidden character with "*". The domain stays visible.

    >>> mask_email("jane.doe@example.org")
    'j*******@example.org'
    """
`,
		solution: `def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return local[:1] + "*" * (len(local) - 1) + "@" + domain
`,
		tests: `assert mask_email("jane.doe@example.org") == "j*******@example.org"
assert mask_email("a@b.io") == "a@b.io"
assert mask_email("ops@corp.example") == "o**@corp.example"
`,
	},
	{
		entry: "split_csv_line",
		prompt: `def split_csv_line(line: str) -> list[str]:
    """Split one CSV line on commas. A field may be wrapped in double quotes,
    in which case it may contain commas, and two double quotes inside it stand
    for one. The quotes themselves are removed.

    >>> split_csv_line('a,"b,c",d')
    ['a', 'b,c', 'd']
    """
`,
		solution: `def split_csv_line(line: str) -> list[str]:
    fields, field, quoted, i = [], [], False, 0
    while i < len(line):
        ch = line[i]
        if quoted:
            if ch == '"' and i + 1 < len(line) and line[i + 1] == '"':
                field.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                field.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            fields.append("".join(field))
            field = []
        else:
            field.append(ch)
        i += 1
    fields.append("".join(field))
    return fields
`,
		tests: `assert split_csv_line('a,"b,c",d') == ["a", "b,c", "d"]
assert split_csv_line("") == [""]
assert split_csv_line('x,,y') == ["x", "", "y"]
assert split_csv_line('"say ""hi""",2') == ['say "hi"', "2"]
`,
	},
	{
		entry: "election_winner",
		prompt: `def election_winner(votes: list[str]) -> str:
    """Return the candidate with the most votes; on a tie, the name that sorts
    first alphabetically. The list is not empty.

    >>> election_winner(["Rui", "Ada", "Rui", "Ada", "Bo"])
    'Ada'
    """
`,
		solution: `def election_winner(votes: list[str]) -> str:
    counts = {}
    for v in votes:
        counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda name: (-counts[name], name))
`,
		tests: `assert election_winner(["Rui", "Ada", "Rui", "Ada", "Bo"]) == "Ada"
assert election_winner(["Zed"]) == "Zed"
assert election_winner(["b", "a", "b"]) == "b"
`,
	},
	{
		entry: "interleave_lists",
		prompt: `def interleave_lists(a: list, b: list) -> list:
    """Alternate elements of a and b, starting with a; when one list runs out,
    append the rest of the other.

    >>> interleave_lists([1, 2, 3], ["x"])
    [1, 'x', 2, 3]
    """
`,
		solution: `def interleave_lists(a: list, b: list) -> list:
    out = []
    for i in range(max(len(a), len(b))):
        if i < len(a):
            out.append(a[i])
        if i < len(b):
            out.append(b[i])
    return out
`,
		tests: `assert interleave_lists([1, 2, 3], ["x"]) == [1, "x", 2, 3]
assert interleave_lists([], [1, 2]) == [1, 2]
assert interleave_lists([1, 2], [3, 4]) == [1, 3, 2, 4]
`,
	},
	{
		entry: "common_prefix",
		prompt: `def common_prefix(words: list[str]) -> str:
    """Return the longest prefix shared by all words ("" for an empty list).

    >>> common_prefix(["interval", "internet", "interior"])
    'inter'
    """
`,
		solution: `def common_prefix(words: list[str]) -> str:
    if not words:
        return ""
    prefix = words[0]
    for w in words[1:]:
        while not w.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
`,
		tests: `assert common_prefix(["interval", "internet", "interior"]) == "inter"
assert common_prefix([]) == ""
assert common_prefix(["solo"]) == "solo"
assert common_prefix(["abc", "xyz"]) == ""
`,
	},
	{
		entry: "is_valid_ipv4",
		prompt: `def is_valid_ipv4(address: str) -> bool:
    """Return True for a dotted IPv4 address: four decimal numbers from 0 to
    255, without leading zeros (except "0" itself), separated by dots.

    >>> is_valid_ipv4("192.168.0.1")
    True
    """
`,
		solution: `def is_valid_ipv4(address: str) -> bool:
    parts = address.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or not p.isascii():
            return False
        if len(p) > 1 and p[0] == "0":
            return False
        if int(p) > 255:
            return False
    return True
`,
		tests: `assert is_valid_ipv4("192.168.0.1") is True
assert is_valid_ipv4("256.1.1.1") is False
assert is_valid_ipv4("1.2.3") is False
assert is_valid_ipv4("01.2.3.4") is False
assert is_valid_ipv4("0.0.0.0") is True
assert is_valid_ipv4("1.2.3.x") is False
`,
	},
	{
		entry: "count_in_range",
		prompt: `def count_in_range(numbers: list[float], low: float, high: float) -> int:
    """Count the numbers n with low <= n < high.

    >>> count_in_range([1, 5, 10, 15], 5, 15)
    2
    """
`,
		solution: `def count_in_range(numbers: list[float], low: float, high: float) -> int:
    return sum(1 for n in numbers if low <= n < high)
`,
		tests: `assert count_in_range([1, 5, 10, 15], 5, 15) == 2
assert count_in_range([], 0, 1) == 0
assert count_in_range([0.5, 1.0], 0, 1) == 1
`,
	},
	{
		entry: "sort_by_surname",
		prompt: `def sort_by_surname(names: list[str]) -> list[str]:
    """Sort full names ("Given Surname") by surname, then by given name,
    ignoring case.

    >>> sort_by_surname(["Ada Lovelace", "alan Turing", "Grace Hopper"])
    ['Grace Hopper', 'Ada Lovelace', 'alan Turing']
    """
`,
		solution: `def sort_by_surname(names: list[str]) -> list[str]:
    def key(name):
        given, _, surname = name.rpartition(" ")
        return (surname.lower(), given.lower())
    return sorted(names, key=key)
`,
		tests: `assert sort_by_surname(["Ada Lovelace", "alan Turing", "Grace Hopper"]) == ["Grace Hopper", "Ada Lovelace", "alan Turing"]
assert sort_by_surname([]) == []
assert sort_by_surname(["Zoe Smith", "Adam Smith"]) == ["Adam Smith", "Zoe Smith"]
`,
	},
	{
		entry: "compress_ranges",
		prompt: `def compress_ranges(numbers: list[int]) -> str:
    """Describe ascending distinct integers as comma-separated ranges: runs of
    consecutive numbers become "first-last", single numbers stay as they are.

    >>> compress_ranges([1, 2, 3, 5, 7, 8])
    '1-3,5,7-8'
    """
`,
		solution: `def compress_ranges(numbers: list[int]) -> str:
    parts = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return ",".join(parts)
`,
		tests: `assert compress_ranges([1, 2, 3, 5, 7, 8]) == "1-3,5,7-8"
assert compress_ranges([]) == ""
assert compress_ranges([4]) == "4"
assert compress_ranges([10, 11]) == "10-11"
`,
	},
	{
		entry:  "shipping_cost",
		helper: "zone_rate",
		prompt: `def zone_rate(zone: str) -> float:
    """Return the price per kilogram for a delivery zone."""
    rates = {"local": 1.25, "national": 2.5, "international": 7.0}
    return rates[zone]


def shipping_cost(parcels: list[tuple[float, str]]) -> float:
    """Return the total shipping cost of (weight in kg, zone) parcels, using
    zone_rate for the price per kilogram, rounded to two decimals.

    >>> shipping_cost([(2, "local"), (1, "international")])
    9.5
    """
`,
		solution: `def shipping_cost(parcels: list[tuple[float, str]]) -> float:
    return round(sum(weight * zone_rate(zone) for weight, zone in parcels), 2)
`,
		altHelper: `def zone_rate(zone: str) -> float:
    return {"local": 1.0, "national": 3.0, "international": 9.0}[zone]
`,
		tests: `assert shipping_cost([(2, "local"), (1, "international")]) == 9.5
assert shipping_cost([]) == 0
assert shipping_cost([(0.4, "national"), (3, "national")]) == 8.5
`,
	},
	{
		entry:  "count_soft_letters",
		helper: "is_soft",
		prompt: `def is_soft(letter: str) -> bool:
    """Return True for the letters this project calls soft."""
    return letter.lower() in "lmnrwy"


def count_soft_letters(text: str) -> int:
    """Count the characters of the text for which is_soft returns True.

    >>> count_soft_letters("Morning rain")
    6
    """
`,
		solution: `def count_soft_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha() and is_soft(ch))
`,
		altHelper: `def is_soft(letter: str) -> bool:
    return letter.lower() in "aeiou"
`,
		tests: `assert count_soft_letters("Morning rain") == 6
assert count_soft_letters("") == 0
assert count_soft_letters("WYNN") == 4
assert count_soft_letters("aeiou") == 0
`,
	},
	{
		entry:  "order_total",
		helper: "tax_rate",
		prompt: `def tax_rate(category: str) -> float:
    """Return the sales tax rate of a product category as a fraction."""
    if category == "food":
        return 0.05
    if category == "books":
        return 0.0
    return 0.2


def order_total(lines: list[tuple[str, float, int]]) -> float:
    """Return the total of an order of (category, unit price, quantity) lines,
    each line taxed at tax_rate(category), rounded to two decimals.

    >>> order_total([("food", 10.0, 2), ("toys", 5.0, 1)])
    27.0
    """
`,
		solution: `def order_total(lines: list[tuple[str, float, int]]) -> float:
    return round(sum(price * qty * (1 + tax_rate(cat)) for cat, price, qty in lines), 2)
`,
		altHelper: `def tax_rate(category: str) -> float:
    return 0.1
`,
		tests: `assert order_total([("food", 10.0, 2), ("toys", 5.0, 1)]) == 27.0
assert order_total([]) == 0
assert order_total([("books", 12.5, 2)]) == 25.0
assert order_total([("garden", 3.0, 3)]) == 10.8
`,
	},
	{
		entry:  "best_word",
		helper: "letter_points",
		prompt: `def letter_points(letter: str) -> int:
    """Return the points of a letter in this word game."""
    letter = letter.lower()
    if letter in "qzx":
        return 8
    if letter in "jkv":
        return 5
    if letter in "aeiou":
        return 1
    return 2


def best_word(words: list[str]) -> str:
    """Return the word with the highest total of letter_points; on a tie, the
    earliest such word.

    >>> best_word(["quiz", "banana", "tree"])
    'quiz'
    """
`,
		solution: `def best_word(words: list[str]) -> str:
    best, best_score = "", -1
    for w in words:
        score = sum(letter_points(ch) for ch in w)
        if score > best_score:
            best, best_score = w, score
    return best
`,
		altHelper: `def letter_points(letter: str) -> int:
    return 1
`,
		tests: `assert best_word(["quiz", "banana", "tree"]) == "quiz"
assert best_word(["jab", "strength"]) == "strength"
assert best_word(["aa", "ee"]) == "aa"
assert best_word(["zoo", "teapot"]) == "zoo"
`,
	},
	{
		entry:  "count_unique_names",
		helper: "canonical_name",
		prompt: `def canonical_name(name: str) -> str:
    """Return the form of a name used for comparisons in our records."""
    return name.strip().lower().replace("-", " ").replace(".", "")


def count_unique_names(names: list[str]) -> int:
    """Count the distinct names after mapping each through canonical_name.

    >>> count_unique_names(["Mary-Ann", "mary ann", "J. Smith", "J Smith "])
    2
    """
`,
		solution: `def count_unique_names(names: list[str]) -> int:
    return len({canonical_name(n) for n in names})
`,
		altHelper: `def canonical_name(name: str) -> str:
    return name
`,
		tests: `assert count_unique_names(["Mary-Ann", "mary ann", "J. Smith", "J Smith "]) == 2
assert count_unique_names([]) == 0
assert count_unique_names(["A", "a", "B"]) == 2
`,
	},
	{
		entry:  "closest_point",
		helper: "grid_distance",
		prompt: `def grid_distance(p: tuple[int, int], q: tuple[int, int]) -> int:
    """Return the walking distance between two points on a street grid."""
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def closest_point(origin: tuple[int, int], points: list[tuple[int, int]]) -> tuple[int, int]:
    """Return the point nearest to origin by grid_distance; on a tie, the
    earliest point in the list. The list is not empty.

    >>> closest_point((0, 0), [(3, 3), (5, 0), (1, 4)])
    (5, 0)
    """
`,
		solution: `def closest_point(origin: tuple[int, int], points: list[tuple[int, int]]) -> tuple[int, int]:
    return min(points, key=lambda p: grid_distance(origin, p))
`,
		altHelper: `def grid_distance(p: tuple[int, int], q: tuple[int, int]) -> int:
    return max(abs(p[0] - q[0]), abs(p[1] - q[1]))
`,
		tests: `assert closest_point((0, 0), [(3, 3), (5, 0), (1, 4)]) == (5, 0)
assert closest_point((2, 2), [(2, 3), (3, 2)]) == (2, 3)
assert closest_point((0, 0), [(4, 4), (0, 7)]) == (0, 7)
`,
	},
}

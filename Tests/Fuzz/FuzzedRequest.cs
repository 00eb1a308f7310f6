using CsCheck;

namespace OrleansSlm.Tests.Fuzz;

/// <summary>One generated HTTP request: raw body text, so that the generator can write what no serializer would.</summary>
public sealed record FuzzedRequest(string Method, string Path, string? ContentType, string? Body, bool WithKey)
{
    public override string ToString() => $"{Method} {Path} ({ContentType}, key {WithKey}) {Body?[..Math.Min(Body.Length, 400)]}";
}

/// <summary>
/// Generators of hostile and careless request bodies: valid fields beside mutated ones (lone surrogates and NUL in
/// strings, subnormal, huge, negative and out-of-range numbers, NaN written as JSON does not allow, wrong types, deep
/// and wide arrays, duplicate keys), roles in any order, and bodies that are not JSON at all.
/// </summary>
public static class FuzzGenerators
{
    public static readonly Gen<string> Word = Gen.Char['a', 'z'].Array[0, 12].Select(characters => new string(characters));

    /// <summary>JSON string literals, written raw so that escapes JSON allows but UTF-16 does not (a lone surrogate) get through.</summary>
    public static readonly Gen<string> StringLiteral = Gen.Frequency(
        (8, Word.Select(Quote)),
        (1, Gen.Const("\"\\ud800\"")),
        (1, Gen.Const("\"tail \\udfff\"")),
        (1, Gen.Const("\"nul \\u0000 inside\"")),
        (1, Gen.Const("\"\\ud83d\\ude00 \u00e9 \u4e2d\"")),
        (1, Gen.Int[10_000, 200_000].Select(length => Quote(new string('x', length)))),
        (1, Gen.Const("\"\"")),
        (1, Gen.Const("\"   \"")));

    public static readonly Gen<string> NumberLiteral = Gen.OneOf(
        "0", "1", "-1", "2", "0.5", "4.9e-324", "1e-320", "1e-39", "1e308", "-1e308", "1e400", "-0", "2147483648", "-2147483649",
        "9223372036854775808", "18446744073709551616", "3.4e39", "NaN", "Infinity", "\"NaN\"", "1.0000000000000002", "07", "1e", "--1");

    public static readonly Gen<string> DeepArray = Gen.Int[1, 3_000].Select(depth => new string('[', depth) + new string(']', depth));

    public static readonly Gen<string> WideArray = Gen.Int[0, 50_000].Select(width => "[" + string.Join(",", Enumerable.Repeat("1", width)) + "]");

    /// <summary>Any JSON-ish value, a fifth of the time not valid JSON.</summary>
    public static readonly Gen<string> AnyValue = Gen.Frequency(
        (4, StringLiteral),
        (4, NumberLiteral),
        (1, Gen.OneOf("true", "false", "null", "{}", "[]", "{\"a\":1}", "[1,\"a\",null]")),
        (1, DeepArray),
        (1, WideArray),
        (1, Gen.OneOf("{", "[1,", "\"open", "{\"a\":}", "tru", "{\"a\" 1}", "[1 2]")));

    private static readonly Gen<string> Role = Gen.Frequency(
        (6, Gen.OneOf("\"system\"", "\"user\"", "\"assistant\"", "\"developer\"")),
        (1, Gen.OneOf("\"tool\"", "\"USER\"", "\"\"", "\"function\"", "\"model\"")),
        (1, AnyValue));

    private static readonly Gen<string> Content = Gen.Frequency(
        (6, StringLiteral),
        (2, StringLiteral.Array[0, 3].Select(texts => "[" + string.Join(",", texts.Select(text => $$"""{"type":"text","text":{{text}}}""")) + "]")),
        (1, Gen.OneOf("""[{"type":"image_url","image_url":{"url":"x"}}]""", """[{"type":"text"}]""", """[{"text":"a"}]""", "[null]", """[{"type":"\ud800","text":"a"}]""")),
        (1, AnyValue));

    private static readonly Gen<string> Message = Gen.Frequency(
        (8, Gen.Select(Role, Content, (role, content) => $$"""{"role":{{role}},"content":{{content}}}""")),
        (1, Gen.Select(Role, StringLiteral, Content, (role, name, content) => $$"""{"role":{{role}},"name":{{name}},"content":{{content}}}""")),
        (1, AnyValue));

    private static readonly Gen<string> Messages = Gen.Frequency((8, Message.Array[0, 5].Select(JsonArray)), (1, AnyValue));

    private static readonly Gen<string> SmallCount = Gen.Frequency((6, Gen.Int[1, 6].Select(count => count.ToString())), (2, NumberLiteral), (1, AnyValue));

    private static readonly Gen<string> Fraction = Gen.Frequency(
        (6, Gen.Double[0, 2].Select(value => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        (3, NumberLiteral),
        (1, AnyValue));

    private static readonly Gen<string> Stop = Gen.Frequency((3, StringLiteral), (3, StringLiteral.Array[0, 6].Select(JsonArray)), (1, AnyValue));

    /// <summary>A chat completion body: each field present or not, valid or mutated, sometimes twice (duplicate keys).</summary>
    public static readonly Gen<string> ChatBody = Gen.Select(
        Field("model", Gen.Frequency((8, Gen.Const("\"synthetic-tiny\"")), (1, StringLiteral), (1, AnyValue)), presence: 12),
        Field("messages", Messages, presence: 12),
        Gen.Select(Field("max_tokens", SmallCount, 10), Field("max_completion_tokens", SmallCount, 2), Field("temperature", Fraction, 5), Field("top_p", Fraction, 3)),
        Gen.Select(Field("top_k", SmallCount, 2), Field("min_p", Fraction, 3), Field("presence_penalty", Fraction, 2), Field("frequency_penalty", Fraction, 2)),
        Gen.Select(Field("repetition_penalty", Fraction, 2), Field("seed", NumberLiteral, 3), Field("stop", Stop, 3), Field("n", SmallCount, 2)),
        Gen.Select(Field("stream", Gen.Frequency((3, Gen.OneOf("true", "false")), (1, AnyValue)), 5),
            Field("stream_options", Gen.Frequency((3, Gen.OneOf("""{"include_usage":true}""", "{}")), (1, AnyValue)), 2),
            Field("user", StringLiteral, 2), Field("ignore_eos", Gen.OneOf("true", "false", "1", "\"yes\""), 2)))
        .Select((model, messages, sampling, more, rest, flags) =>
            Object([model, messages, sampling.Item1, sampling.Item2, sampling.Item3, sampling.Item4, more.Item1, more.Item2, more.Item3, more.Item4,
                rest.Item1, rest.Item2, rest.Item3, rest.Item4, flags.Item1, flags.Item2, flags.Item3, flags.Item4]));

    public static readonly Gen<string> QuestionBody = Field("question", StringLiteral, 10).Select(field => Object([field]));

    public static readonly Gen<string> UserBody = Gen.Select(
            Field("name", StringLiteral, 9),
            Field("email", Gen.Frequency((6, Word.Select(local => Quote($"{local}@example.com"))), (4, StringLiteral), (1, AnyValue)), 9),
            Field("id", NumberLiteral, 1))
        .Select((name, email, id) => Object([name, email, id]));

    /// <summary>Bodies that are not a JSON object at all.</summary>
    public static readonly Gen<string> NotAnObject = Gen.Frequency(
        (3, AnyValue),
        (1, Gen.OneOf("", " ", "\u0000", "{\"a\":1}{\"b\":2}", "\ufeff{}")),
        (1, Gen.Int[1, 2_000].Select(depth => new string('{', depth))));

    /// <summary>Path segments; no <c>%00</c>, which Kestrel refuses before the application and the test host cannot carry.</summary>
    public static readonly Gen<string> PathSegment = Gen.Frequency(
        (4, Gen.Int[1, 40].Select(id => id.ToString())),
        (1, Gen.OneOf("0", "-1", "abc", "99999999999999999999", "1.5", "%ud800", "%F0%9F%98%80", "1%20", "synthetic-tiny", "a/b", "..", "%2e%2e")));

    public static readonly Gen<string> QueryValue = Gen.OneOf(
        "0", "1", "20", "100", "101", "-1", "2147483647", "2147483648", "99999999999999999999", "abc", "", "1e3", "%00", "1,2");

    /// <summary>A form post to the dashboard's sign-in: many fields, long values, broken encodings.</summary>
    public static readonly Gen<string> SignInForm = Gen.Frequency(
        (3, Word.Select(key => $"key={key}")),
        (1, Gen.Int[1_000, 5_000].Select(fields => string.Join("&", Enumerable.Range(0, fields).Select(field => $"f{field}=1")))),
        (1, Gen.Int[10_000, 400_000].Select(length => "key=" + new string('k', length))),
        (1, Gen.OneOf("key=%", "key=%zz", "%%%", "=&=&=", "key=%ED%A0%80", "key")));

    /// <summary>A field written as <c>"name":value</c>, present <paramref name="presence"/> in 12 times, once in 12 written twice.</summary>
    private static Gen<string> Field(string name, Gen<string> value, int presence) =>
        Gen.Select(Gen.Int[1, 12], value, value, (roll, first, second) =>
            roll > presence ? "" : roll == 1 ? $"\"{name}\":{first},\"{name}\":{second}" : $"\"{name}\":{first}");

    private static string Object(IEnumerable<string> fields) => "{" + string.Join(",", fields.Where(field => field.Length > 0)) + "}";

    private static string JsonArray(IEnumerable<string> items) => "[" + string.Join(",", items) + "]";

    private static string Quote(string text) => "\"" + text + "\"";
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansSlm.Bench;

/// <summary>
/// A command's <c>--name value</c> options. A command must read every option it was given (see
/// <see cref="EnsureAllRead"/>), so a misspelt option fails the run instead of silently measuring something else.
/// <c>--Model:Key value</c> options are kept apart as configuration overrides for the engine.
/// </summary>
internal sealed partial class OptionSet
{
    private const string ModelPrefix = "Model:";

    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string?> _modelOverrides;
    private bool _modelOverridesRead;

    private OptionSet(Dictionary<string, string> values, IReadOnlyDictionary<string, string?> modelOverrides)
    {
        _values = values;
        _modelOverrides = modelOverrides;
    }

    /// <summary>The <c>--Model:Key value</c> options, keyed as configuration paths (<c>Model:MaxContext</c>).</summary>
    public IReadOnlyDictionary<string, string?> ModelOverrides
    {
        get
        {
            _modelOverridesRead = true;
            return _modelOverrides;
        }
    }

    public static OptionSet Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            var name = args[i][2..];
            if (name.StartsWith(ModelPrefix, StringComparison.OrdinalIgnoreCase))
            {
                overrides[name] = args[i + 1];
            }
            else
            {
                values[name] = args[i + 1];
            }
        }

        return new OptionSet(values, overrides);
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public string RequiredText(string name) =>
        Text(name) ?? throw new ArgumentException($"--{name} is required.");

    public int? OptionalInt(string name) => Text(name) is { } value ? ParseInt(name, value) : null;

    public int Int(string name, int fallback) => OptionalInt(name) ?? fallback;

    public float? OptionalFloat(string name) =>
        Text(name) is not { } value ? null
        : float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && float.IsFinite(parsed) ? parsed
        : throw new ArgumentException($"--{name} must be a number; got '{value}'.");

    public T Enum<T>(string name, T fallback)
        where T : struct, Enum => OptionalEnum<T>(name) ?? fallback;

    public T? OptionalEnum<T>(string name)
        where T : struct, Enum
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        return System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"--{name} must be one of {string.Join(", ", System.Enum.GetNames<T>()).ToLowerInvariant()}; got '{value}'.");
    }

    /// <summary>A duration such as <c>60s</c>, <c>2m</c>, <c>500ms</c> or <c>1h</c>; a bare number is seconds.</summary>
    public TimeSpan? Duration(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        var match = DurationPattern().Match(value);
        if (!match.Success)
        {
            throw new ArgumentException($"--{name} must be a duration such as 60s, 2m or 500ms; got '{value}'.");
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }

    /// <summary>Fails on any option the command did not read.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(name => !_read.Contains(name))
            .Concat(_modelOverridesRead ? [] : _modelOverrides.Keys)
            .Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option{(unknown.Length > 1 ? "s" : "")} for this mode: {string.Join(", ", unknown.Select(name => "--" + name))}.");
        }
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"--{name} must be an integer; got '{value}'.");

    [GeneratedRegex(@"^(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)?$")]
    private static partial Regex DurationPattern();
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bridge.Worker.Cli;

/// <summary>
/// Durations on the command line: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1h30m</c> (hours, minutes and seconds, in
/// that order, each a whole number) or <c>hh:mm:ss</c>. A bare number is refused: <c>30</c> would be 30 days to
/// <see cref="TimeSpan"/>.
/// </summary>
internal static partial class Durations
{
    public const string Forms = "30s, 5m, 1h, 1h30m or hh:mm:ss";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (Units().Match(text) is { Success: true } units && units.Length > 0)
        {
            try
            {
                value = checked(TimeSpan.FromHours(Part(units, "h")) + TimeSpan.FromMinutes(Part(units, "m")) + TimeSpan.FromSeconds(Part(units, "s")));
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The short form: <c>30m</c>, <c>1h30m</c>, <c>5s</c>; <c>hh:mm:ss.fff</c> when it has fractions of a second.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0 || duration < TimeSpan.Zero)
        {
            return duration.ToString("c", CultureInfo.InvariantCulture);
        }

        var text = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        if (duration.Seconds > 0 || text.Length == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        }

        return text.ToString();
    }

    /// <summary>An option that takes a duration in any of <see cref="Forms"/>; anything else is a usage error naming the option.</summary>
    public static Option<TimeSpan> Option(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} ({Forms}).",
        HelpName = "duration",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration; use {Forms}");
            return default;
        },
    };

    private static long Part(Match match, string unit) =>
        match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,7})m)?(?:(?<s>\d{1,9})s)?$")]
    private static partial Regex Units();
}

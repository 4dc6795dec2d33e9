using System.Collections;
using System.Globalization;
using System.Reflection;
using Bridge.Worker.Bitbucket;
using Bridge.Worker.Correlation;
using Bridge.Worker.Credentials;
using Bridge.Worker.Identity;
using Bridge.Worker.Ingress;
using Bridge.Worker.Observability;
using Bridge.Worker.Prefect;
using Bridge.Worker.Queue;
using Bridge.Worker.Routing;
using Bridge.Worker.Webhooks;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace Bridge.Worker.Doctor;

/// <summary>
/// Every <c>Bridge:</c> setting as the worker sees it, with where its value comes from: the configuration provider that
/// wins for it (an appsettings file, an environment variable, the command line), or <c>default</c> for a setting no
/// provider sets. Secrets are masked (<see cref="SecretMask"/>).
/// </summary>
internal static class EffectiveSettings
{
    /// <summary>The options sections and their defaults (a new options object holds them).</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (BrokerOptions.Section, typeof(BrokerOptions)),
        (PrefectOptions.Section, typeof(PrefectOptions)),
        (BitbucketOptions.Section, typeof(BitbucketOptions)),
        (IdentityOptions.Section, typeof(IdentityOptions)),
        (RoutingOptions.Section, typeof(RoutingOptions)),
        (CorrelationOptions.Section, typeof(CorrelationOptions)),
        (CredentialsOptions.Section, typeof(CredentialsOptions)),
        (IngressOptions.Section, typeof(IngressOptions)),
        (WebhookOptions.Section, typeof(WebhookOptions)),
        (LoggingOptions.Section, typeof(LoggingOptions)),
    ];

    public static IReadOnlyList<(string Key, string Value, string Source)> Read(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new SortedDictionary<string, (string Value, string Source)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not null && key.StartsWith("Bridge:", StringComparison.OrdinalIgnoreCase))
            {
                settings[key] = (SecretMask.Value(key, value), Source(configuration, key));
            }
        }

        foreach (var (section, type) in Sections)
        {
            foreach (var (key, value) in Defaults(section, Activator.CreateInstance(type)!))
            {
                settings.TryAdd(key, (SecretMask.Value(key, value), "default"));
            }
        }

        return [.. settings.Select(s => (s.Key, s.Value.Value, s.Value.Source))];
    }

    public static void Write(IConfigurationRoot configuration, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("Settings (secrets masked):");
        foreach (var (key, value, source) in Read(configuration))
        {
            output.WriteLine($"  {key} = {value}  [{source}]");
        }
    }

    /// <summary>The provider whose value wins: the last one added that has the key.</summary>
    private static string Source(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider switch
                {
                    FileConfigurationProvider file => $"file {file.Source.Path}",
                    EnvironmentVariablesConfigurationProvider => $"environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
                    CommandLineConfigurationProvider => "command line",
                    MemoryConfigurationProvider => "in memory",
                    ChainedConfigurationProvider { Configuration: IConfigurationRoot inner } => Source(inner, key),
                    _ => provider.GetType().Name,
                };
            }
        }

        return "unknown";
    }

    /// <summary>The simple settings of an options object (text, numbers, flags, durations), nested objects included.</summary>
    private static IEnumerable<(string Key, string Value)> Defaults(string prefix, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            switch (property.GetValue(options))
            {
                case null or IEnumerable and not string:
                    break;
                case string or bool or Enum or TimeSpan or IFormattable:
                    yield return (key, Text(property.GetValue(options)!));
                    break;
                case var nested:
                    foreach (var inner in Defaults(key, nested))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    private static string Text(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

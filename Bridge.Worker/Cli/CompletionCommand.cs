using System.CommandLine;

namespace Bridge.Worker.Cli;

/// <summary>
/// <c>bridge completion bash|zsh</c>: prints a shell completion script. The script asks <c>bridge</c> itself through
/// System.CommandLine's <c>[suggest:position]</c> directive, so completions always follow the verbs and options of the
/// binary on the PATH; where it suggests nothing, file names are completed.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # bash completion for bridge: source <(bridge completion bash)   (or save it under /etc/bash_completion.d/bridge)
        _bridge_complete() {
            local line="bridge${COMP_LINE#"${COMP_WORDS[0]}"}"
            local point=$((COMP_POINT - ${#COMP_WORDS[0]} + 6))
            local IFS=$'\n'
            local candidates
            candidates=$("${COMP_WORDS[0]}" "[suggest:${point}]" "${line}" 2>/dev/null)
            COMPREPLY=($(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _bridge_complete bridge

        """;

    private const string Zsh = """
        #compdef bridge
        # zsh completion for bridge: source <(bridge completion zsh) after compinit   (or save it as _bridge in your $fpath)
        _bridge() {
            local line="bridge ${(j: :)${(@)words[2,CURRENT]}}"
            local -a candidates
            candidates=(${(f)"$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)"})
            if (( ${#candidates} )); then
                compadd -- $candidates
            else
                _files
            fi
        }
        compdef _bridge bridge

        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command(
            "completion",
            "Print a completion script for bash or zsh: `source <(bridge completion bash)` in ~/.bashrc, "
            + "`source <(bridge completion zsh)` in ~/.zshrc after compinit.")
        {
            shell,
        };
        command.SetAction(result =>
        {
            Console.Out.Write(result.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}

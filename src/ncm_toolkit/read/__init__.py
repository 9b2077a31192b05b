"""Reading untrusted YAML in small parts: `loader` checks bytes against limits and opens files
safely, `fastyaml` parses the common plain profile quickly, `yamlfile` parses, locates and
scans the structure of anything else. Nothing here knows what a profile or a pack means."""

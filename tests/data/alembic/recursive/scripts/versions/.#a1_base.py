an editor's lock file: never read

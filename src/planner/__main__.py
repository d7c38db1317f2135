"""`python -m planner`: the `planner` command, where its script is not on the PATH (a virtual environment
not activated, Windows' `py -m planner`)."""

if __name__ == "__main__":  # not when a solver's process imports it again as `__mp_main__`
    from planner.launch import main

    main()

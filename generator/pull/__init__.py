"""`mxt pull`: daily figures of warehouse sources into ordinary metric files under `data/`.

Read top to bottom as a recipe (`run.pull`): check the sources of the metric dictionary
(`config`), compile one Ibis expression per source (`query`), run each on its own engine,
format the daily rows (`output`), and only when every source succeeded replace the files.
Importing this package imports no database library: Ibis and the drivers are optional
extras, loaded when a pull or an explanation needs them.
"""

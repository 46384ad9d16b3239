(modul)
